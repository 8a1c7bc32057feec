#!/usr/bin/env python3
"""Sums the results of every TRX file under a folder (one per test project) and prints them.

Prints the failed tests, then the tests that did not run (skipped, ignored, inconclusive:
each one is a problem to look at, never a quiet pass), then ALONE ON THE LAST LINE:

    N passed, N failed

Exit status: 0 when at least one test passed and none failed, was skipped or was lost
to an aborted run; 1 otherwise; 2 when there is no TRX file at all.
Usage: trx-summary.py RESULTS_DIR [--quiet]   (--quiet prints only the last line)
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
FAILED_COUNTERS = ("failed", "error", "timeout", "aborted")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    quiet = "--quiet" in sys.argv[2:]
    files = sorted(root.rglob("*.trx")) if root.is_dir() else []
    passed = failed = not_run = 0
    failures, skipped, run_errors = [], [], []
    for trx in files:
        doc = ET.parse(trx).getroot()
        counters = doc.find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            run_errors.append(f"{trx.name}: no Counters element")
            continue
        count = lambda name: int(counters.get(name, "0"))  # noqa: E731
        total = count("total")
        file_passed = count("passed")
        file_failed = sum(count(name) for name in FAILED_COUNTERS)
        passed += file_passed
        failed += file_failed
        not_run += max(0, total - file_passed - file_failed)
        for result in doc.iter(f"{NS}UnitTestResult"):
            outcome = result.get("outcome", "")
            name = f"{result.get('testName')} [{trx.stem}]"
            if outcome == "Passed":
                continue
            message = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or ""
            first_line = message.strip().splitlines()[0] if message.strip() else ""
            if outcome in ("Failed", "Error", "Timeout", "Aborted"):
                failures.append(f"  {outcome}: {name}: {first_line[:300]}")
            else:
                skipped.append(f"  {outcome}: {name}: {first_line[:300]}")
        # A crashed or hung test host (blame) leaves a run-level error and no result for the
        # tests it never reached: count the run itself as one failure so it cannot pass.
        aborted = doc.find(f"{NS}ResultSummary").get("outcome", "") in ("Aborted", "Error", "Timeout")
        for info in doc.iter(f"{NS}RunInfo"):
            if info.get("outcome") == "Error":
                aborted = True
                run_errors.append(f"  {trx.name}: {(info.findtext(f'{NS}Text') or '').strip()[:500]}")
        if aborted and file_failed == 0:
            failed += 1
            run_errors.append(f"  {trx.name}: the test run was aborted: counted as 1 failure")

    if not quiet:
        print(f"test results: {len(files)} TRX file(s) in {root}")
        if failures:
            print(f"FAILED ({len(failures)}):", *failures, sep="\n")
        if skipped or not_run:
            print(f"NOT RUN ({not_run}: skipped, ignored or inconclusive; each is a problem):", *skipped, sep="\n")
        if run_errors:
            print("RUN ERRORS:", *run_errors, sep="\n")
        if not files:
            print("no TRX file: the tests did not run (did the build fail?)")
    print(f"{passed} passed, {failed} failed")
    if not files:
        return 2
    return 0 if passed > 0 and failed == 0 and not_run == 0 and not run_errors else 1


if __name__ == "__main__":
    sys.exit(main())
