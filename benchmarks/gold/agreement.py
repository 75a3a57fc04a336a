"""Agreement between the first and the second reading of the news gold (``reviews/*.json``).

    python benchmarks/gold/agreement.py          # prints the table and rewrites AGREEMENT.md

Agreement = agreed / (agreed + changed + removed + added), per item kind: an item the second reader
kept exactly as it was is agreed; a change of predicate, direction, type, names or ``required`` is a
change.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"entity": "entities", "relation": "relations", "quote": "quotes"}


def table() -> str:
    totals = {k: dict.fromkeys(("first", "agreed", "changed", "removed", "added"), 0) for k in KINDS.values()}
    files = sorted((HERE / "reviews").glob("*.json"))
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        for kind in totals:
            totals[kind]["first"] += record["first_reading"][kind]
            totals[kind]["agreed"] += record["agreed"][kind]
        for part in ("changed", "removed", "added"):
            for item in record.get(part, []):
                totals[KINDS[item["kind"]]][part] += 1
    lines = [
        "# Agreement between the first and the second reading",
        "",
        f"{len(files)} files, each read by two readers: the second checked every item against the text and",
        "`GUIDE.md` and recorded what it kept, changed, removed and added (`reviews/`). Agreement =",
        "agreed / (agreed + changed + removed + added), per item kind. `python benchmarks/gold/agreement.py`.",
        "",
        "| kind | first reading | agreed | changed | removed | added | agreement |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, v in totals.items():
        seen = v["agreed"] + v["changed"] + v["removed"] + v["added"]
        lines.append(f"| {kind} | {v['first']} | {v['agreed']} | {v['changed']} | {v['removed']} | {v['added']} | {v['agreed'] / seen:.3f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = table()
    (HERE / "AGREEMENT.md").write_text(text, encoding="utf-8")
    print(text, end="")
