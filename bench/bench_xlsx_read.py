"""Reading an XLSX for import, streamed (imports/xlsx_stream.py) against python-calamine (which
still reads XLS, XLSB and ODS): CPU seconds and peak RSS of `open_table`, `last_row()` and every
row of `Table.rows()`, each in a fresh process. Not a timed test: it reports.

    .venv/bin/python bench/bench_xlsx_read.py [--rows 10000,100000] [--strings inline,shared]

`--rows` defaults to `LINDUNG_BENCH_SIZES` when set (`make bench SIZES=…`); the two readers
alternate over `LINDUNG_BENCH_ROUNDS` rounds (default 3) and the figure is the median CPU time
(with its min–max) and the largest peak RSS.

The file has 20 columns shaped like the import template (NIK and No. KK as text, names,
addresses, codes, two date cells) and is written XML by XML (a million rows in a minute), its
texts inline in the cells (as openpyxl and Lindung's exports write them) or in a shared string
table (as Excel saves). A million rows with inline texts is over the 1 GB unpacked limit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "NIK", "Nama Lengkap", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "No. KK", "Alamat",
    "Dusun", "RT", "RW", "No HP", "Setuju Dihubungi", "Pendidikan", "Status Perkawinan", "Desa",
    "Kecamatan", "Negara Tujuan", "Jenis Pekerjaan", "P3MI/PT", "Tgl Berangkat",
]  # fmt: skip


def _text(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>' if text else ""


def _rows(n: int):
    columns = [chr(65 + i) for i in range(len(HEADER))]
    yield '<row r="1">' + "".join(map(_text, columns, [1] * 20, HEADER)) + "</row>"
    for i in range(n):
        r = i + 2
        texts = [
            f"18110141{i:08d}", f"Warga Sintetis {i}", "P" if i % 3 else "L", "Mesuji", "",
            f"18110115{i:08d}", f"Jl. Melati No. {i % 200}", f"Dusun {i % 7}", f"{i % 12:03d}",
            f"{i % 5:03d}", f"0812{i:08d}", "Ya" if i % 2 else "Tidak", "SMA/Sederajat", "Kawin",
            "Wiralaga I", "Mesuji", ["Hong Kong", "Taiwan", "Malaysia"][i % 3],
            "Pekerja Rumah Tangga", "PT Contoh" if i % 2 else "", "",
        ]  # fmt: skip
        cells = "".join(map(_text, columns, [r] * 20, texts))
        born = f'<c r="E{r}" s="1"><v>{25569 + (i * 37) % 10000}</v></c>'
        gone = f'<c r="T{r}" s="1"><v>{43831 + i % 1500}</v></c>'
        yield f'<row r="{r}">{cells}{born}{gone}</row>'


def write_file(path: Path, n: int, strings: str) -> Path:
    sys.path.insert(0, str(ROOT))
    from lindung.imports.tests.raw_xlsx import with_shared_strings, write_raw_xlsx

    skeleton = write_raw_xlsx(
        path.with_suffix(".skeleton.xlsx"),
        [("Data", "@ROWS@")],
        number_formats=["dd/mm/yyyy"],
        dimension=f"A1:T{n + 1}",
    )
    inline = path if strings == "inline" else path.with_suffix(".inline.xlsx")
    with (
        zipfile.ZipFile(skeleton) as old,
        zipfile.ZipFile(inline, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info).decode()
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info.filename, data)
                continue
            head, tail = data.split("@ROWS@")
            with new.open(info.filename, "w", force_zip64=True) as out:
                out.write(head.encode())
                block = []
                for row in _rows(n):
                    block.append(row)
                    if len(block) >= 5000:
                        out.write("".join(block).encode())
                        block = []
                out.write("".join(block).encode() + tail.encode())
    if strings == "shared":
        with_shared_strings(inline, path)
    return path


_CHILD = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from lindung.imports import reading
if sys.argv[2] == "calamine":
    reading._has_xml_workbook = lambda path: False
table = reading.open_table(sys.argv[3])
last = table.last_row()
rows = sum(1 for _row in table.rows())
usage = resource.getrusage(resource.RUSAGE_SELF)
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
cpu = round(usage.ru_utime + usage.ru_stime, 2)
print(json.dumps({"rows": rows, "last_row": last, "cpu_s": cpu, "peak_rss_mb": round(hwm / 1024)}))
"""


def measure(reader: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), reader, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default=os.environ.get("LINDUNG_BENCH_SIZES", "10000,100000"))
    parser.add_argument("--strings", default="inline,shared")
    args = parser.parse_args()
    rounds = int(os.environ.get("LINDUNG_BENCH_ROUNDS", "3"))
    results = []
    with tempfile.TemporaryDirectory(prefix="lindung-xlsx-") as folder:
        for n in [int(x) for x in args.rows.split(",") if x]:
            for strings in args.strings.split(","):
                path = write_file(Path(folder) / f"t{n}-{strings}.xlsx", n, strings)
                runs = {"calamine": [], "stream": []}
                for _round in range(rounds):
                    for reader, found in runs.items():
                        found.append(measure(reader, path))
                for reader, found in runs.items():
                    cpu = [run["cpu_s"] for run in found]
                    report = {
                        "rows": n,
                        "strings": strings,
                        "reader": reader,
                        "cpu_s": statistics.median(cpu),
                        "cpu_s_range": [min(cpu), max(cpu)],
                        "peak_rss_mb": max(run["peak_rss_mb"] for run in found),
                        "last_row": found[0]["last_row"],
                    }
                    results.append(report)
                    print(
                        f"{n:>9,} rows, {strings:<6} {reader:<8}: {report['cpu_s']:6.2f} s CPU "
                        f"({min(cpu):.2f}–{max(cpu):.2f}), peak RSS {report['peak_rss_mb']:,} MB"
                    )
                path.unlink()
    print(json.dumps({"bench": "xlsx_read", "results": results}))


if __name__ == "__main__":
    main()
