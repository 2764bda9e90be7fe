"""The template filters every template may use."""

from lindung.lib.templatetags import phone_links


def test_phone_numbers_in_free_text_become_tel_links_and_the_rest_is_escaped():
    html = phone_links("Call center 0800-1000 atau 0812 7300 1122, <b>24 jam</b>. Kode 18.11.")
    assert '<a href="tel:08001000">0800-1000</a>' in html
    assert '<a href="tel:081273001122">0812 7300 1122</a>' in html
    assert "&lt;b&gt;" in html and "18.11" in html and html.count("tel:") == 2


def test_an_international_number_keeps_its_plus():
    assert '<a href="tel:+6281273001122">+62 812-7300-1122</a>' in phone_links(
        "WA +62 812-7300-1122"
    )
