"""On sys.path only when scripts/test.sh runs the time-sensitive tests with the clock shifted.

Every Python process started with TEST_CLOCK_SHIFT_SECONDS set (pytest, its workers, each
`clearpost serve` and console the tests start) sees the wall clock that many seconds ahead and
ticking, so all of them agree on "now". The monotonic clock, which timeouts use, stays real.
"""

import os

_shift = os.environ.get("TEST_CLOCK_SHIFT_SECONDS")
if _shift:
    import time

    import time_machine

    _traveller = time_machine.travel(time.time() + float(_shift), tick=True)
    _traveller.start()
    # time-machine starts the tick at the first read, not at start(): read at once, or each
    # process's clock would lag by however long it took to first ask the time.
    time.time()
