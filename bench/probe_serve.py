"""`streamlit run` with one line in the server's output per training job that starts and ends, for
bench/lead_class.py to count them (`rnnviz.server.jobs.started` is in the server's memory).

    python bench/probe_serve.py app.py --server.port=8501 ...   (streamlit run's arguments; run it in
                                                                  the checkout whose app it serves)

Lines: `rnnviz-bench job ID start WALL` and `rnnviz-bench job ID end WALL seconds S stopped STATES`,
WALL being time.time() (the bench compares it with its clients' clocks on the same machine).
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.getcwd())  # the checkout whose app.py runs (bench/lead_class.py --root)

from rnnviz.server import jobs  # noqa: E402

_run = jobs.Job._run


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")  # one write: two jobs' threads must not interleave their lines
    sys.stdout.flush()


def _logged(self: jobs.Job) -> None:
    _say(f"rnnviz-bench job {self.id} start {time.time():.3f}")
    try:
        _run(self)
    finally:
        stopped = ",".join(str(h.stopped) for h in self.histories.values())
        _say(f"rnnviz-bench job {self.id} end {time.time():.3f} seconds {sum(self.seconds.values()):.3f} "
             f"stopped {stopped}")


jobs.Job._run = _logged  # Job.__init__ binds self._run as its thread's target: every job is logged

if __name__ == "__main__":
    from streamlit.web.cli import main

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(main())
