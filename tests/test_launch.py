"""helpers.launch, chapter 13's torchrun launcher: a failed launch names the rank and how it failed,
with the ranks' own last lines; a hanging launch is stopped at its timeout and no process of it
survives, not even one that ignores SIGTERM in a session of its own; Windows gets one clear message."""

import platform
import subprocess
import textwrap

import psutil
import pytest

from helpers import launch

pytestmark = pytest.mark.skipif(launch.unsupported_reason() is not None, reason="no torchrun launches here")


def write(tmp_path, text):
    (tmp_path / "script.py").write_text(textwrap.dedent(text))
    return "script.py"


def test_a_failing_rank_is_named_with_its_exit_code(tmp_path):
    script = write(tmp_path, """
        import os, sys, time
        rank = int(os.environ["RANK"])
        print(f"rank {rank} says hello", flush=True)
        if rank == 1:
            print("rank 1 gives up", file=sys.stderr, flush=True)
            sys.exit(3)
        time.sleep(30)  # rank 0 would go on: torchrun stops it when rank 1 fails
        """)
    with pytest.raises(launch.LaunchError) as error:
        launch.torchrun(script, cwd=tmp_path, timeout=60)
    message = str(error.value)
    assert "rank 1: exit code 3  <- the first failure" in message, message
    assert "rank 1 gives up" in message and "rank 0 says hello" in message, message
    code, log = launch.torchrun(script, cwd=tmp_path, timeout=60, expect_failure=True)
    assert code != 0 and launch.failures(log)[0] == (1, 3)


def test_a_syntax_error_shows_the_syntax_error(tmp_path):
    script = write(tmp_path, "print('unbalanced'\n")
    with pytest.raises(launch.LaunchError) as error:
        launch.torchrun(script, cwd=tmp_path, timeout=60)
    message = str(error.value)
    assert "SyntaxError" in message and "--- rank 0" in message and "--- rank 1" in message, message


def test_a_hanging_launch_is_stopped_and_leaves_no_process(tmp_path):
    # Each rank ignores SIGTERM (so torchrun must give up on it) and starts a grandchild in a
    # session of its own (which no process-group kill reaches); both write their PIDs first.
    script = write(tmp_path, """
        import os, signal, subprocess, sys, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"],
                                 start_new_session=True)
        rank = os.environ["RANK"]
        open(f"pids{rank}.txt", "w").write(f"{os.getpid()} {child.pid}")
        print(f"rank {rank} hangs", flush=True)
        time.sleep(300)
        """)
    with pytest.raises(launch.LaunchError) as error:
        launch.torchrun(script, cwd=tmp_path, timeout=20, grace=2)
    assert "ran past its timeout" in str(error.value) and "rank 1 hangs" in str(error.value)
    pid_files = sorted(tmp_path.glob("pids*.txt"))
    assert len(pid_files) == 2, "the ranks did not start within the timeout: the test saw nothing"
    pids = [int(pid) for f in pid_files for pid in f.read_text().split()]
    alive = [pid for pid in pids if psutil.pid_exists(pid)
             and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"processes that outlived the launch: {alive}"


def test_windows_gets_one_clear_message_and_starts_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("started a process"))
    with pytest.raises(launch.LaunchError, match="not supported on native Windows.*WSL"):
        launch.torchrun("script.py", cwd=tmp_path)
    assert launch.unsupported_reason("Linux") is None and launch.unsupported_reason("Darwin") is None


def test_failures_puts_the_root_cause_first():
    log = textwrap.dedent("""\
        Failures:
        [1]:
          rank      : 0 (local_rank: 0)
          exitcode  : -15  (SIGTERM)
        Root Cause (first observed failure):
        [0]:
          rank      : 1 (local_rank: 1)
          exitcode  : 3 (pid: 12)
        """)
    assert launch.failures(log) == [(1, 3), (0, -15)]
