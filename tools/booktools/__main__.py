"""Command line: `python -m booktools execute|check` (run through `bash tools/execute`).

    bash tools/execute --profile cpu            # every chapter
    bash tools/execute --profile smoke book/src/01_generative_vs_discriminative.md
    bash tools/execute --stale                  # the stale ones, in their profiles
    bash tools/execute --check                            # sources, notebooks, code agree
"""

from __future__ import annotations

import argparse
import sys

from gan_lib.book.profiles import PROFILES, resolve_profile

from .execute import chapter_sources, execute_chapter, notebook_path
from .staleness import stale_chapters
from .sync import sync_problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m booktools")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="execute chapters with papermill and write book/NN.ipynb")
    ex.add_argument("chapters", nargs="*", help="book/src/NN_topic.md files (default: all)")
    ex.add_argument("--profile", choices=PROFILES, default=None,
                    help="default: $GAN_BOOK_PROFILE, else gpu with CUDA, else cpu; with "
                         "--stale: each chapter's recorded profile")
    ex.add_argument("--stale", action="store_true",
                    help="execute exactly the chapters whose source or imported gan_lib modules "
                         "changed since they were executed")
    ck = sub.add_parser("check", help="fail if a notebook disagrees with its source or is stale")
    ck.add_argument("--book-dir", default="book")
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = sync_problems(args.book_dir)
        problems += [chapter.message() for chapter in stale_chapters(args.book_dir)]
        for line in problems:
            print(line)
        print("book in sync" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0

    if args.stale:
        if args.chapters:
            parser.error("--stale picks the chapters itself; give either --stale or chapters")
        stale = stale_chapters()
        if not stale:
            print("no chapter is stale")
            return 0
        # a stale chapter keeps the profile its outputs were published in, unless one is named;
        # smoke outputs are never meant to be published, so those get the default profile
        plan = [(c.source, args.profile or (c.profile if c.profile in ("cpu", "gpu") else None)
                 or resolve_profile(None)) for c in stale]
        for chapter in stale:
            print(chapter.message())
    else:
        profile = args.profile or resolve_profile(None)
        plan = [(source, profile) for source in (args.chapters or chapter_sources())]
    failed = []
    for source, profile in plan:
        print(f"executing {source} with profile {profile} ...", flush=True)
        try:
            record = execute_chapter(source, profile)
        except Exception as err:  # report and keep going; the old notebook stays untouched
            print(f"  FAILED: {type(err).__name__}: {str(err)[-2000:]}", flush=True)
            failed.append(str(source))
            continue
        print(f"  wrote {notebook_path(source)} in {record['notebook_wall_time_s']} s "
              f"on {record['device']} ({record['hardware']})", flush=True)
    if failed:
        print(f"{len(failed)} chapter(s) failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
