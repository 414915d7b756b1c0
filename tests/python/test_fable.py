"""The Python module `fable` (docs/python.md) against the command line.

Run by ctest (python.pytest) with PYTHONPATH naming the built module and
FABLE_BINARY / FABLE_SOURCE_DIR naming the binary and the repository; by
hand: PYTHONPATH=build-test/python FABLE_BINARY=build-test/fable-selfplay \
python3 -m pytest tests/python
"""
import filecmp
import json
import os
import pathlib
import subprocess
import threading
import time

import pytest

import fable

SOURCE = pathlib.Path(os.environ.get("FABLE_SOURCE_DIR", pathlib.Path(__file__).parents[2]))
BINARY = os.environ.get("FABLE_BINARY", str(SOURCE / "build-test" / "fable-selfplay"))
V01 = str(SOURCE / "kernels" / "kernel-v0.1.yaml")
V02 = str(SOURCE / "kernels" / "kernel-v0.2.yaml")
V03 = str(SOURCE / "kernels" / "kernel-v0.3.yaml")


def cli(*args, cwd=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, cwd=cwd)


def same_tree(a, b):
    """Every file under a and b, byte for byte; returns the differences."""
    files_a = sorted(p.relative_to(a) for p in pathlib.Path(a).rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in pathlib.Path(b).rglob("*") if p.is_file())
    if files_a != files_b:
        return [f"file lists differ: {files_a} vs {files_b}"]
    return [str(f) for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]


# --- kernels ---------------------------------------------------------------


def test_kernel_load_reads_identity_and_params():
    k = fable.Kernel.load(V01)
    assert k.name == "Commons Charter"
    assert k.version == "0.1.0"
    assert len(k.hash) == 16
    assert k.params["voting.quorum"] == 0.5
    assert k.lookup("params.voting.early_close") is True
    assert isinstance(k.params["voting.threshold_base"], str)
    assert any(a["governs"] for a in k.articles)


def test_kernel_amend_returns_new_kernel_with_semver_bump():
    k = fable.Kernel.load(V02)
    weaker = k.amend("voting.quorum", 0.1)
    assert k.params["voting.quorum"] != 0.1  # the original is unchanged
    assert weaker.params["voting.quorum"] == pytest.approx(0.1)
    d = k.diff(weaker)
    assert d["bump"] == "major"
    assert d["params"] == [
        {"path": "voting.quorum", "before": k.params["voting.quorum"], "after": 0.1,
         "bump": "major"}
    ]
    assert weaker.version.split(".")[0] == str(int(k.version.split(".")[0]) + 1)


def test_kernel_amend_refuses_bad_values_with_one_line():
    k = fable.Kernel.load(V01)
    with pytest.raises(fable.InputError) as e:
        k.amend("voting.quorum", 1.5)
    assert "voting.quorum" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(fable.InputError, match="unknown parameter 'voting.nope'"):
        k.amend("voting.nope", 1)
    with pytest.raises(fable.InputError):
        k.amend("voting.quorum", [0.5])


def test_kernel_diff_between_shipped_kernels_matches_cli_bump():
    d = fable.Kernel.load(V01).diff(fable.Kernel.load(V02))
    out = cli("kernel", "diff", V01, V02)
    assert d["params"], "v0.1 -> v0.2 changes parameters"
    for change in d["params"]:
        assert change["path"] in out.stdout
    assert d["bump"] in out.stdout


def test_malformed_kernel_raises_the_cli_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: fable-kernel/1\nname: [unclosed\n")
    with pytest.raises(fable.InputError) as e:
        fable.Kernel.load(bad)
    out = cli("tournament", "--kernel", str(bad))
    assert out.returncode == 2
    assert out.stderr == f"error: {e.value}\n"
    with pytest.raises(fable.Error):  # the base class catches every failure
        fable.tournament(kernel=bad)


# --- errors are the command line's ----------------------------------------


@pytest.mark.parametrize(
    "kwargs, flags",
    [
        ({"turns": 0}, ["--turns", "0"]),
        ({"threads": 0}, ["--threads", "0"]),
        ({"seeds": "3..1"}, ["--seeds", "3..1"]),
        ({"matchups": "drain,nope"}, ["--matchups", "drain,nope"]),
        ({"population": "crowd"}, ["--population", "crowd"]),
        ({"episode_files": "some"}, ["--episode-files", "some"]),
        ({"minimize_budget": 0}, ["--minimize-budget", "0"]),
    ],
)
def test_tournament_flag_errors_match_cli(kwargs, flags):
    with pytest.raises(fable.InputError) as e:
        fable.tournament(kernel=V01, **kwargs)
    out = cli("tournament", "--kernel", V01, *flags)
    assert out.returncode == 2
    assert out.stderr == f"error: {e.value}\n"


def test_hunt_and_run_errors_match_cli():
    with pytest.raises(fable.InputError) as e:
        fable.hunt(V01, "honest:9,drainer:2")
    out = cli("hunt", "--kernel", V01, "--roster", "honest:9,drainer:2", "--out", "unused")
    assert out.stderr == f"error: {e.value}\n"
    with pytest.raises(fable.InputError) as e:
        fable.run(V01, "honest:9,attacker:2")
    out = cli("run", "--kernel", V01, "--roster", "honest:9,attacker:2")
    assert out.stderr == f"error: {e.value}\n"


def test_existing_output_folder_is_refused_and_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    with pytest.raises(fable.InputError):
        fable.tournament(kernel=V01, seeds="0..1", out=out)
    assert (out / "mine.txt").read_text() == "keep"


def test_python_arguments_are_checked_not_converted(tmp_path):
    with pytest.raises(fable.InputError, match="expected a number 0 or more, got -1"):
        fable.run(V01, "honest:8,drainer:2", seed=-1)
    with pytest.raises(fable.InputError, match="--episodes: expected an integer, got float"):
        fable.run(V01, "honest:8,drainer:2", episodes=2.0)
    with pytest.raises(fable.InputError, match="--turns: expected an integer, got bool"):
        fable.tournament(kernel=V01, turns=True)
    with pytest.raises(fable.InputError, match="out of range"):
        fable.tournament(kernel=V01, turns=10**12)
    with pytest.raises(fable.InputError, match="--budget: expected a number 0 or more"):
        fable.hunt(V01, "honest:9,attacker:2", budget=-1)
    for bad in (["0..3"], [True], 3, {1: 2}):
        with pytest.raises(fable.InputError, match="--seeds"):
            fable.tournament(kernel=V01, seeds=bad)
    with pytest.raises(fable.InputError, match="the path holds a NUL byte"):
        fable.Kernel.load(V01 + "\x00junk")
    with pytest.raises(fable.InputError, match="NUL"):
        fable.tournament(kernel=V01, seeds="0..0", out=str(tmp_path / "abc\x00def"))
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(fable.InputError, match="expected a path"):
        fable.Kernel.load(3)
    assert fable.Kernel.load(V01.encode()) == fable.Kernel.load(V01)
    with pytest.raises(fable.InputError) as e:
        fable.run(V01, "honest:8,drainer:2", minimize=False, minimize_budget=5)
    out = cli("run", "--kernel", V01, "--roster", "honest:8,drainer:2", "--no-minimize",
              "--minimize-budget", "5")
    assert str(e.value) in out.stderr
    with pytest.raises(fable.InputError, match="^turns 0: must be 1..100000$"):
        fable.play(V01, "honest:3", turns=0)
    with pytest.raises(fable.InputError, match="^matchup"):
        fable.play(V01, "honest:3", matchup="../x")


def test_kernel_equality_and_amended_kernels_everywhere(tmp_path):
    v02 = fable.Kernel.load(V02)
    assert v02 == fable.Kernel.load(V02) and v02 != fable.Kernel.load(V01)
    assert len({v02, fable.Kernel.load(V02)}) == 1
    weaker = v02.amend("voting.early_close", True)
    assert weaker != v02
    gate = fable.verify(weaker, SOURCE / "exploits")
    assert not gate["passed"]
    assert "EXP-005" in [r["exploit_id"] for r in gate["records"] if r["verdict"] == "reproduces"]
    assert gate["kernel"]["version"] == weaker.version
    r = fable.run(weaker, "honest:10,drainer:10", episodes=2, max_turns=10)
    for rec in r["records"]:
        assert rec["reproduction"]["kernel_hash"] == weaker.hash
        assert fable.replay(rec, kernel=weaker)["verdict"] == "reproduces"
    h = fable.hunt(weaker, "honest:9,attacker:2", budget=50, turns=6)
    assert h["hunt"]["kernel"]["hash"] == weaker.hash


def test_kernel_object_labels_and_seed_configs(tmp_path):
    a, b = tmp_path / "cli.json", tmp_path / "py.json"
    assert cli("tournament", "--kernel", V01, "--seeds", "0..1", "--coverage", str(a)).returncode == 0
    fable.tournament(kernel=fable.Kernel.load(V01), seeds="0..1", coverage=b)
    assert a.read_text() == b.read_text()  # the kernel is named by its file, as on the CLI
    config = SOURCE / "configs" / "T1-treasury-and-timing.yaml"
    with pytest.raises(fable.InputError, match="a seed config names its kernels"):
        fable.tournament(kernel=fable.Kernel.load(V01), config=config)


def test_hostile_record_inputs_raise_input_errors(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200000)
    with pytest.raises(fable.InputError, match="nested deeper than 64 levels"):
        fable.load_record(deep)
    rec = fable.load_record(SOURCE / "exploits" / "EXP-001.json")
    with pytest.raises(fable.InputError, match="record: not a JSON object"):
        fable.replay({**rec, "severity": float("nan")})
    with pytest.raises(fable.InputError, match="record: not a JSON object"):
        fable.replay({**rec, "name": b"x"})
    nested = []
    for _ in range(5000):
        nested = [nested]
    with pytest.raises(fable.InputError) as e:
        fable.replay({**rec, "extra": nested})
    assert "\n" not in str(e.value)


# --- the same runs as the command line -------------------------------------


def test_tournament_same_records_and_artifacts_as_cli(tmp_path):
    a, b = tmp_path / "cli", tmp_path / "py"
    out = cli("tournament", "--kernel", V01, "--seeds", "0..3", "--threads", "2", "--out", str(a))
    assert out.returncode == 0, out.stderr
    r = fable.tournament(kernel=V01, seeds=[0, 1, 2, 3], threads=1, out=b)
    assert same_tree(a, b) == []
    on_disk = [json.loads(p.read_text()) for p in sorted((a / "exploits").glob("*.json"))]
    assert r["records"] == on_disk
    assert len(r["records"]) > 0, "v0.1's default tournament finds exploits"
    assert r["leaderboard"] == json.loads((a / "leaderboard.json").read_text())["matchups"]
    assert r["episodes"] == 20
    assert r["kernel"]["version"] == "0.1.0"


def test_tournament_without_out_returns_the_same_records(tmp_path):
    with_files = fable.tournament(kernel=V01, seeds="0..1", matchups="drain", out=tmp_path / "o")
    without = fable.tournament(kernel=V01, seeds="0..1", matchups="drain")
    assert with_files["records"] == without["records"]
    assert with_files["leaderboard"] == without["leaderboard"]


def test_run_with_exploit_dir_same_as_cli(tmp_path):
    a, b = tmp_path / "cli", tmp_path / "py"
    args = ["--roster", "honest:8,drainer:2", "--episodes", "4", "--max-turns", "30"]
    out = cli("run", "--kernel", V01, *args, "--exploit-dir", str(a))
    assert out.returncode == 0, out.stderr
    r = fable.run(V01, "honest:8,drainer:2", episodes=4, max_turns=30, exploit_dir=b)
    assert r["records_appended"] == len(list(a.glob("*.json"))) > 0
    assert same_tree(a, b) == []
    # Appending again adds nothing: the fingerprints are known.
    again = fable.run(V01, "honest:8,drainer:2", episodes=4, max_turns=30, exploit_dir=b)
    assert again["records_appended"] == 0


def test_seed_config_same_as_cli(tmp_path):
    config = str(SOURCE / "configs" / "T1-treasury-and-timing.yaml")
    a, b = tmp_path / "cli", tmp_path / "py"
    a.mkdir()
    b.mkdir()
    flags = ["--seeds", "0..1", "--turns", "40"]
    out = cli("tournament", "--config", config, *flags, "--exploit-dir", str(a / "exploits"),
              "--out", str(a / "out"), cwd=SOURCE)
    assert out.returncode in (0, 1), out.stderr
    r = fable.tournament(config=config, seeds="0..1", turns=40, exploit_dir=b / "exploits",
                         out=b / "out")
    assert same_tree(a, b) == []
    missing = [e["expected"] for e in r["expected"] if not e["found"]]
    assert (out.returncode == 1) == bool(missing)
    for name in missing:
        assert f"expected exploit missing: {name}" in out.stderr


def test_hunt_same_output_as_cli(tmp_path):
    a, b = tmp_path / "cli", tmp_path / "py"
    args = ["--roster", "honest:9,attacker:11", "--budget", "200", "--turns", "12"]
    out = cli("hunt", "--kernel", V01, *args, "--quiet", "--out", str(a))
    assert out.returncode == 0, out.stderr
    r = fable.hunt(V01, "honest:9,attacker:11", budget=200, turns=12, threads=2, out=b)
    assert same_tree(a, b) == []
    assert r["hunt"] == json.loads((a / "hunt.json").read_text())
    assert r["hunt"]["executions"] == 200
    assert r["records"] == [
        json.loads(p.read_text()) for p in sorted((a / "exploits").glob("*.json"))
    ]


def test_sweep_same_as_cli(tmp_path):
    config = tmp_path / "sweep.yaml"
    config.write_text(
        f"kernels: [{V01}, {V02}]\n"
        "populations: [token-vote, naive]\n"
        "seeds: 0..1\nturns: 20\nepisode_files: none\n"
        "matchups:\n  - {name: drain, honest: 8, drainer: 2}\n"
    )
    a, b = tmp_path / "cli", tmp_path / "py"
    out = cli("sweep", "--config", str(config), "--out", str(a))
    assert out.returncode == 0, out.stderr
    r = fable.sweep(config, out=b)
    assert same_tree(a, b) == []
    assert r == json.loads((a / "sweep.json").read_text())
    assert [row["cell"] for row in r["rows"]] == ["cell-01", "cell-02", "cell-03", "cell-04"]
    with pytest.raises(fable.InputError) as e:
        fable.sweep(tmp_path / "missing.yaml")
    assert cli("sweep", "--config", str(tmp_path / "missing.yaml")).stderr == f"error: {e.value}\n"


# --- episodes, replay, verify ----------------------------------------------


def test_play_is_deterministic_and_returns_trace_and_score():
    k = fable.Kernel.load(V01)
    first = fable.play(k, "honest:8,drainer:2", seed=3, turns=20)
    again = fable.play(V01, "honest:8,drainer:2", seed=3, turns=20)
    assert first == again
    assert first["trace"]["schema"].startswith("fable-trace/")
    assert 0 <= first["score"]["governance_score"] <= 100
    other = fable.play(k, "honest:8,drainer:2", seed=4, turns=20)
    assert other["trace"] != first["trace"]


def test_play_on_an_amended_kernel_in_memory():
    k = fable.Kernel.load(V02)
    r = fable.play(k.amend("voting.early_close", True), "honest:10", turns=5)
    assert r["trace"]["kernel"]["version"] != k.version


def test_replay_and_verify_match_cli():
    record = SOURCE / "exploits" / "EXP-001.json"
    r = fable.replay(record, kernels_dir=SOURCE / "kernels")
    assert r["verdict"] == "reproduces"
    assert cli("replay", str(record), "--kernels-dir", str(SOURCE / "kernels")).returncode == 1
    blocked = fable.replay(fable.load_record(record), kernel=fable.Kernel.load(V02))
    assert blocked["verdict"] == "blocked" and blocked["stops"]
    v = fable.verify(V03, SOURCE / "exploits")
    assert v["passed"] and v["reproduces"] == 0
    assert cli("verify", "--kernel", V03, str(SOURCE / "exploits")).returncode == 0
    v01 = fable.verify(V01, SOURCE / "exploits")
    assert not v01["passed"] and v01["reproduces"] > 0


def test_replay_of_a_malformed_record_raises(tmp_path):
    bad = tmp_path / "EXP-001.json"
    bad.write_text('{"schema": "fable-exploit/1"}')
    with pytest.raises(fable.InputError) as e:
        fable.replay(bad)
    out = cli("replay", str(bad))
    assert out.stderr == f"error: {e.value}\n"


# --- the GIL -----------------------------------------------------------------


def test_ctrl_c_stops_a_long_call():
    import signal

    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        fable.run(V01, "honest:8,drainer:2", episodes=2_000_000, minimize=False)
    timer.join()
    # The whole call would take minutes; it stops at the next poll.
    assert time.monotonic() - start < 20


def interrupted_after(seconds, call):
    """Runs call() with SIGINT sent after `seconds`; returns the seconds it took."""
    import signal

    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        call()
    timer.join()
    return time.monotonic() - start


def test_ctrl_c_stops_hunt_and_sweep(tmp_path):
    took = interrupted_after(0.5, lambda: fable.hunt(V01, "honest:5,attacker:2", budget=10**7,
                                                     out=tmp_path / "h"))
    assert took < 20
    assert not (tmp_path / "h").exists()  # a hunt writes only at its end
    config = tmp_path / "one.yaml"
    config.write_text(f"kernels: [{V01}]\n")
    took = interrupted_after(0.5, lambda: fable.sweep(config, seeds="0..999999", minimize=False))
    assert took < 20  # inside the single cell, not after it


def stopped_then_resumed(tmp_path, call):
    """call(out, **resume_kw) stopped by SIGINT once its partial folder holds a
    checkpoint past the first, then called again with resume=True; returns what
    the second call returned."""
    import signal

    out = tmp_path / "stopped"
    stop = threading.Event()

    def watch():
        first = None
        while not stop.is_set():
            for c in tmp_path.glob("stopped.partial-*/checkpoint.bin"):
                try:
                    now = c.read_bytes()
                except OSError:  # replaced while read
                    continue
                first = first if first is not None else now
                if now != first:
                    os.kill(os.getpid(), signal.SIGINT)
                    return
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call(out, checkpoint_every=1)
    finally:
        stop.set()
        watcher.join()
    assert not out.exists()
    assert len(list(tmp_path.glob("stopped.partial-*"))) == 1
    return call(out, resume=True)


def test_a_stopped_hunt_goes_on_with_resume(tmp_path):
    args = (V01, "honest:9,attacker:11")
    whole = fable.hunt(*args, budget=6000, turns=12, out=tmp_path / "whole")
    resumed = stopped_then_resumed(
        tmp_path, lambda out, **kw: fable.hunt(*args, budget=6000, turns=12, out=out, **kw))
    notes = [n for n in resumed["notes"] if n.startswith("resumed ")]
    assert len(notes) == 1 and " at execution " in notes[0] and notes[0].endswith(" of 6000")
    assert resumed["hunt"] == whole["hunt"] and resumed["records"] == whole["records"]
    assert same_tree(tmp_path / "whole", tmp_path / "stopped") == []
    assert not list(tmp_path.glob("stopped.partial-*"))
    # Nothing left to resume: refused, nothing changed.
    with pytest.raises(fable.InputError, match="already finished"):
        fable.hunt(*args, budget=6000, turns=12, out=tmp_path / "stopped", resume=True)
    assert same_tree(tmp_path / "whole", tmp_path / "stopped") == []


def test_a_stopped_run_goes_on_with_resume(tmp_path):
    args = (V01, "honest:8,drainer:2")
    kw = dict(episodes=10000, episode_files="none", minimize=False)
    whole = fable.run(*args, **kw, out=tmp_path / "whole")
    resumed = stopped_then_resumed(tmp_path, lambda out, **more: fable.run(*args, **kw, out=out,
                                                                           **more))
    notes = [n for n in resumed["notes"] if n.startswith("resumed ")]
    assert len(notes) == 1 and " at episode " in notes[0] and notes[0].endswith(" of 10000")
    assert resumed["leaderboard"] == whole["leaderboard"]
    assert resumed["records"] == whole["records"]
    assert same_tree(tmp_path / "whole", tmp_path / "stopped") == []


def test_resume_arguments_are_checked(tmp_path):
    with pytest.raises(fable.InputError, match="resume: expected True or False, got str"):
        fable.hunt(V01, "honest:9,attacker:11", budget=10, out=tmp_path / "h", resume="yes")
    with pytest.raises(fable.InputError, match="--checkpoint-every: expected an integer"):
        fable.run(V01, "honest:8,drainer:2", out=tmp_path / "r", checkpoint_every=1.5)
    with pytest.raises(fable.InputError, match="--resume"):
        fable.tournament(kernel=V01, seeds="0..3", resume=True)  # no out=
    assert not list(tmp_path.iterdir())


def test_long_calls_release_the_gil():
    window = {}

    def work():
        window["start"] = time.monotonic()
        fable.run(V01, "honest:8,drainer:2", episodes=4000, minimize=False)
        window["end"] = time.monotonic()

    t = threading.Thread(target=work)
    ticks = []
    t.start()
    while t.is_alive():
        ticks.append(time.monotonic())
        time.sleep(0.001)
    t.join()
    during = [x for x in ticks if window["start"] + 0.01 < x < window["end"] - 0.01]
    # Held, the GIL would stop this loop for the whole call.
    assert window["end"] - window["start"] > 0.05, "the call is long enough to tell"
    assert len(during) >= 5
