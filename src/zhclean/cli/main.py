"""``zhclean``: restore, explain, run, steps, demo.

Exit codes: 0 success; 1 an input or configuration problem, reported as one line on stderr that says what to do;
2 a usage error (from argparse); 130 interrupted (re-running the same ``run`` resumes it).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from zhclean.errors import ConfigError, InputError, ZhcleanError

logger = logging.getLogger("zhclean")

DEMO_DOCS = 2000


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return int(args.func(args) or 0)
    except ZhcleanError as exc:
        print(f"zhclean: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zhclean: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `zhclean explain x | head`: the reader left, nothing to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhclean",
        description="Restore and clean damaged Chinese web text: mojibake, injected pinyin, machine S→T conversion.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (repeat for debug output)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("restore", help="restore one document: text in, restored text out")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="UTF-8 text file, or - for stdin (default)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("explain", help="show every edit restore makes to a document")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="UTF-8 text file, or - for stdin (default)")
    p.add_argument("--json", action="store_true", help="print the restored text and the edits as JSON")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("run", help="run a pipeline over files or folders into an output folder (resumable)")
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help=".jsonl/.jsonl.gz/.jsonl.zst/.parquet/.warc(.gz) files or folders"
    )
    p.add_argument("-o", "--out", required=True, metavar="OUTDIR", help="output folder (re-run to resume)")
    g = p.add_argument_group("pipeline")
    g.add_argument("--config", metavar="FILE", help="TOML config: steps, [io], [engine] (see `zhclean steps`)")
    g.add_argument("--no-dedup", action="store_true", help="leave out the dedup and consensus steps")
    g = p.add_argument_group("input and output")
    g.add_argument("--text-field", metavar="F", help="field holding the text (default: text)")
    g.add_argument("--id-field", metavar="F", help="field holding the id (default: id; else <file>:<line>)")
    g.add_argument("--format", choices=["jsonl", "parquet"], help="output format (default: jsonl, zstd-compressed)")
    g = p.add_argument_group("execution")
    g.add_argument("--engine", choices=["local", "ray"], help="local process pool (default) or Ray")
    g.add_argument("--workers", type=_non_negative_int, metavar="N", help="worker processes (default: all cores)")
    g.add_argument("--ray-address", metavar="ADDR", help="with --engine ray: the cluster to use (default: a local one)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("steps", help="list the available steps")
    p.set_defaults(func=cmd_steps)

    p = sub.add_parser("demo", help="build a damaged demo corpus, clean it and show what happened")
    p.add_argument("--out", default="zhclean-demo", metavar="DIR", help="folder for the demo (default: zhclean-demo)")
    p.add_argument("--docs", type=_positive_int, default=DEMO_DOCS, metavar="N", help=f"documents ({DEMO_DOCS})")
    p.add_argument("--workers", type=_non_negative_int, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_demo)
    return parser


# -- commands -------------------------------------------------------------------------------------------------------


def cmd_restore(args: argparse.Namespace) -> int:
    explained = _restore(_read_text(args.file))
    _write_stdout(explained.text)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    explained = _restore(_read_text(args.file))
    if args.json:
        edits = [{**e.to_dict(), "confidence": round(e.confidence, 4)} for e in explained.edits]
        _write_stdout(json.dumps({"text": explained.text, "edits": edits}, ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = [f"{len(explained.edits)} edit(s)"]
    for e in explained.edits:
        line = f"  {e.rule}  [{e.start}:{e.end}]  {e.before!r} → {e.after!r}  confidence {e.confidence:.2f}"
        if e.alternatives:
            line += f"  (else: {', '.join(e.alternatives)})"
        lines.append(line)
    lines += ["", explained.text]
    _write_stdout("\n".join(lines) + ("" if explained.text.endswith("\n") else "\n"))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from zhclean.config import RunConfig, load_config

    config = load_config(args.config) if args.config else RunConfig()
    if args.no_dedup:
        config = _without_dedup(config)
    config = config.with_overrides(
        io={"text_field": args.text_field, "id_field": args.id_field, "format": args.format},
        engine={
            "name": args.engine,
            "workers": args.workers,
            "ray_address": args.ray_address,
            "progress": False if args.quiet else None,
        },
    )
    report = _run(config, args.inputs, Path(args.out))
    _print_summary(report, Path(args.out))
    return 0


def cmd_steps(args: argparse.Namespace) -> int:
    from zhclean.steps.table import DEFAULT_STEPS, describe_steps

    for line in describe_steps():
        print(line)
    print(f"\ndefault pipeline: {' → '.join(DEFAULT_STEPS)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from zhclean.config import RunConfig

    try:
        from zhclean.simulate.corpus import build_demo_corpus
    except ImportError as exc:
        raise InputError(f"the demo corpus builder is not available in this installation ({exc})") from exc
    root = Path(args.out)
    corpus = root / "input" / "demo.jsonl"
    out = root / "output"
    if out.exists():
        if not (out / "run.json").exists():
            raise ConfigError(f"{out} exists and is not a zhclean run folder; choose another --out")
        shutil.rmtree(out)  # a previous demo: start clean so the numbers below are this run's
    corpus.parent.mkdir(parents=True, exist_ok=True)
    kinds = build_demo_corpus(corpus, n_docs=args.docs, seed=0)
    print(f"demo corpus: {corpus} ({_format_counts(kinds)})")
    config = RunConfig().with_overrides(engine={"workers": args.workers, "progress": False if args.quiet else None})
    report = _run(config, [str(corpus)], out)
    _print_summary(report, out)
    example = _demo_example(corpus, out)
    if example:
        rec_id, before, after, rules = example
        print(f"\nexample ({rec_id}; {', '.join(rules)}):\n  before: {before}\n  after:  {after}")
    print(f"\nmore:  zstdcat {out}/kept/part-00000.jsonl.zst | head -n 3   ·   zhclean explain FILE")
    return 0


# -- helpers --------------------------------------------------------------------------------------------------------


def _without_dedup(config: Any) -> Any:
    import dataclasses

    from zhclean.steps.table import DEDUP_STEPS

    return dataclasses.replace(config, steps=tuple(s for s in config.steps if s.name not in DEDUP_STEPS))


def _run(config: Any, inputs: list[str], out: Path) -> dict[str, Any]:
    from zhclean.engine.base import run_pipeline

    result = run_pipeline(config.build_pipeline(), inputs, out, config)
    for w in result.report.get("input_warnings", []):
        where = f"{w['file']}:{w['line']}" if w["line"] else w["file"]
        print(f"zhclean: warning: {where}: {w['message']}", file=sys.stderr)
    return result.report


def _print_summary(report: Mapping[str, Any], out: Path) -> None:
    n = report["records_in"]
    rows = [
        ("records in", n, {}),
        ("kept", report["kept"], {}),
        ("rejected", report["rejected"], report.get("drop_reasons", {})),
        ("quarantined", report["quarantined"], report.get("errors", {})),
    ]
    for label, count, detail in rows:
        extra = f"   {_format_counts(detail, 4)}" if detail else ""
        print(f"{label:<12} {count:>9,}{extra}")
    rules = _format_counts(report.get("rules", {}), 5)
    print(f"{'changed':<12} {report.get('records_changed', 0):>9,}" + (f"   {rules}" if rules else ""))
    wall = report.get("timings", {}).get("wall_seconds", 0)
    print(f"{'time':<12} {wall:>8.1f}s   {report.get('timings', {}).get('docs_per_second', 0):,.0f} docs/s")
    print(f"outputs:     {out / 'kept'}  {out / 'rejected'}  {out / 'quarantine'}  {out / 'report.json'}")
    errors = report.get("errors", {})
    if n and report["quarantined"] == n and any("MissingTextField" in k for k in errors):
        print("zhclean: hint: every record lacked the text field; choose it with --text-field", file=sys.stderr)


def _demo_example(corpus: Path, out: Path, width: int = 70) -> tuple[str, str, str, list[str]] | None:
    """A kept record that restore changed in several ways, with its input text: the demo's before/after."""
    from zhclean.io.writers import read_jsonl
    from zhclean.record import EDITS, ID, decode_edits

    first_part = out / "kept" / "part-00000.jsonl.zst"
    if not first_part.exists():
        return None
    for rec in read_jsonl(first_part):
        edits = decode_edits(rec.get(EDITS))
        rules = sorted({e["rule"] for e in edits})
        if len(rules) < 2 or not edits:
            continue
        for original in read_jsonl(corpus):
            if str(original.get("id")) == rec[ID] and isinstance(original.get("text"), str):
                start = max(0, min(e["start"] for e in edits) - 10)
                return rec[ID], _clip(original["text"][start:], width), _clip(rec["text"][start:], width), rules
    return None


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _format_counts(counts: Mapping[str, Any], limit: int = 0) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if limit:
        items = items[:limit]
    return " · ".join(f"{k} {v:,}" for k, v in items)


def _read_text(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"file not found: {name}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = "stdin" if name == "-" else name
        raise InputError(f"{where} is not UTF-8 (byte {exc.start}); convert it to UTF-8 first") from exc


def _restore(text: str) -> Any:
    try:
        from zhclean.text.lexicon import Lexicon
        from zhclean.text.restore import RestoreConfig, restore_text_explained
    except ImportError as exc:
        raise InputError(f"restoring needs zhclean.text.restore, which is not available here ({exc})") from exc
    return restore_text_explained(text, config=RestoreConfig(), lexicon=Lexicon.load())


def _write_stdout(text: str) -> None:
    # Always UTF-8, whatever the terminal's locale says; stdout is not reconfigured globally.
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
    sys.stdout.buffer.flush()


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("zhclean: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _positive_int(value: str) -> int:
    n = _non_negative_int(value)
    if n == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _non_negative_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n
