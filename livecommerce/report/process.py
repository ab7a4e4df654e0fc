"""The kernels of a report run: each a child process that runs the run's notebooks one after another in one Jupyter
kernel, and ends with the runner (:class:`Kernels` is the runner's side, :func:`main` the child's); kept kernels
serve one run after another.

The runner (or the command line, or a caller keeping kernels) starts the children first, before it reads the run's
inputs (the command line checks the parameters' values before, :mod:`livecommerce.report.parameters`), as scripts
(``python -P process.py RUNNER_PID KERNEL SOCKETS``, so that loading one loads neither the package nor anything
beside it); each starts its kernel, which it talks to over Unix sockets in folder SOCKETS, which the runner makes for
it (and removes once the process has ended, even killed), and imports the libraries the notebooks need in it while
the runner checks and reads. On its standard input it then reads a run: a line holding
the runner's umask (octal) and the folder to run in, then the names of the notebooks to run, one a line, then an
empty line. For each notebook, papermill runs ``FOLDER/sources/<name>.ipynb`` into ``FOLDER/notebooks/<name>.ipynb``
with the run file as its one parameter, in a namespace emptied first (the libraries stay imported: the next notebook
does not pay for them again), and the child answers ``ok`` or ``failed`` on its standard output. After the empty
line it moves its kernel to a neutral folder, answers ``ended`` and waits for the next run (kept kernels,
``Kernels(keep=True)``) until its standard input ends. Ctrl-C (SIGINT) stops it whatever it inherited (a shell's
background job ignores SIGINT), and it exits as soon as its runner is gone, even killed by SIGKILL; its kernel,
which watches its own parent (ipykernel does), follows within a second.

This module imports only the standard library (the runner's side reads its umask with the package, loaded by then):
the command line starts the kernels before it loads the rest.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["KERNEL", "MAX_KERNELS", "Kernels", "main", "without_iri_checks"]

KERNEL = "python3"
"""The Jupyter kernel the notebooks run in."""
MAX_KERNELS = 2
"""Kernels of a run (at most one per processor), each running notebooks one after another."""
WATCH = 0.2
"""Seconds between two looks at the runner."""
WARM = "import livecommerce.plots, livecommerce.report.runs, seaborn"
"""What a kernel imports as it starts, while the runner checks the run: what every notebook imports first, and
seaborn, which its first cell (``plots.set_theme``) loads."""
RUN = "../run.json"
"""The run file as a notebook finds it: beside the folder of the executed notebooks (it stays in the output, and an
executed notebook opened again runs the same run)."""
RESET = 'get_ipython().reset(new_session=True); import warnings; warnings.simplefilter("default", append=True)'
"""What empties the kernel's namespace between two notebooks (and numbers the next one's cells from 1), and lets a
warning an earlier notebook showed show again (changing the filters clears what each module has shown)."""


class Kernels:
    """The runner's side: the children started at once (as many as ``notebooks`` can use, one per processor, at most
    :data:`MAX_KERNELS`), given a run's folder (:meth:`open`), then its notebooks one after another (:meth:`work`),
    until the run ends (:meth:`end`); :meth:`stop` stops them all on demand. A child process, not a thread: a thread
    cannot be stopped; a child shuts its kernel down when interrupted.

    Kernels are a run's own unless ``keep``: kept kernels serve one run after another (their libraries loaded once:
    some four processor seconds a kernel and a run), each in its own folder with the umask of the process running
    it, until the caller stops them (``with Kernels(keep=True) as kernels:``). A run stopped while its notebooks run
    (a failure, Ctrl-C) stops them, and the next run starts new ones; a run refused before its notebooks leaves them.
    They keep the environment variables they started with."""

    def __init__(self, notebooks: int = MAX_KERNELS, keep: bool = False):
        self.count = max(1, min(notebooks, os.cpu_count() or 1, MAX_KERNELS))  # for that many notebooks
        self.keep = keep
        self.folder: Path | None = None
        self.ran: dict[str, int] = {}
        self.failed: list[str] = []
        self.guard = threading.Lock()
        self._start()

    def _start(self) -> None:
        """Start the children (each warms its kernel up at once), each with its folder for its kernel's sockets;
        if one cannot start, those started are stopped."""
        self.stopping = threading.Event()
        self.served = False  # a run yet: their logs hold only what their start said
        self.logs, self.sockets, self.children = [], [], []
        command = [sys.executable, "-P", __file__, str(os.getpid()), KERNEL]
        try:
            for _ in range(self.count):
                self.logs.append(tempfile.TemporaryFile())
                self.sockets.append(tempfile.mkdtemp(prefix="livecommerce-kernel-"))
                self.children.append(
                    subprocess.Popen(
                        [*command, self.sockets[-1]],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=self.logs[-1],
                        text=True,
                    )
                )
        except BaseException:
            self.stop(grace=0.0)
            raise

    def __enter__(self) -> "Kernels":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()

    def open(self, folder: Path) -> None:
        """Run the notebooks in ``folder`` (its ``sources/``, into its ``notebooks/``, beside its run file), writing
        with this process's umask. Kept kernels that a previous run stopped, or left in a run it never ended (an
        interrupt between the two, or a second run at once), or that ended, are started again first: one run at a
        time."""
        from livecommerce.data.io import umask  # the runner's side: the package is loaded by now

        if self.stopping.is_set() or self.folder is not None or any(c.poll() is not None for c in self.children):
            self.stop()
            self._start()
        elif self.served:
            for log in self.logs:  # kernels kept from a previous run: what they say of this run only
                log.seek(0)
                log.truncate()
        self.folder = Path(folder)
        self.ran, self.failed = {}, []
        opening = f"{umask():o} {self.folder}"
        for child in self.children:
            self._send(child, opening)

    def end(self) -> None:
        """The run's notebooks are done: a run's own kernels end (:meth:`close`); kept kernels move out of the run's
        folder, each answering ``ended``, and wait for the next run (any other answer stops them)."""
        if not self.keep:
            self.close()
            return
        if not self.stopping.is_set():
            told = [child for child in self.children if self._send(child, "") is None]
            if any(child.stdout.readline().strip() != "ended" for child in told):
                self.stop()
        self.folder = None
        self.served = True

    @staticmethod
    def _send(child: subprocess.Popen, line: str) -> str | None:
        try:
            child.stdin.write(line + "\n")
            child.stdin.flush()
        except (OSError, ValueError):  # the process is gone, or the run stopped and closed its pipe
            return ""
        return None

    def work(self, k: int, queue: list[str], finished) -> None:
        """Run the notebooks of ``queue`` in kernel ``k``, taking the next one as each is done (and handing its name
        to ``finished``), until the queue is empty, a notebook fails or the run stops."""
        child = self.children[k]
        while True:
            with self.guard:
                if not queue or self.stopping.is_set():
                    return
                name = queue.pop(0)
                self.ran[name] = k
            answer = self._send(child, name)
            if answer is None:
                try:
                    answer = child.stdout.readline().strip()
                except (OSError, ValueError):  # the run stopped and closed the pipe
                    answer = ""
            if answer == "ok":
                finished(name)
                continue
            with self.guard:  # failed, or the process ended: unless the run is stopping, a failure of the notebook
                if answer == "failed" or not self.stopping.is_set():
                    self.failed.append(name)
                self.stopping.set()
            return

    def close(self) -> None:
        """Let every kernel end: no more runs (each shuts its kernel down and exits)."""
        for child in self.children:
            if child.poll() is None:
                try:
                    child.stdin.close()
                except (OSError, ValueError):
                    pass
        self.stop(grace=10.0, interrupt=False)

    def stop(self, grace: float = 5.0, interrupt: bool = True) -> None:
        """Interrupt every kernel's process (papermill then shuts its kernel down); kill what outlives ``grace``;
        remove their folders (a process killed leaves its own)."""
        self.stopping.set()
        alive = [c for c in self.children if c.poll() is None]
        for child in alive if interrupt else ():
            child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + grace
        try:
            for child in alive:
                try:
                    child.wait(max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        finally:  # every one has ended (or Ctrl-C came again): its pipes, log and folder are done with
            for child in self.children:
                for pipe in (child.stdin, child.stdout):
                    try:
                        pipe.close()
                    except OSError:
                        pass
            for log in self.logs:
                log.close()
            for folder in self.sockets:
                shutil.rmtree(folder, ignore_errors=True)

    def error(self, name: str) -> str:
        """Where and how notebook ``name`` failed: its failing cell and error, else the end of its kernel's log."""
        executed = self.folder / "notebooks" / f"{name}.ipynb"
        if executed.is_file():
            for cell in json.loads(executed.read_text(encoding="utf-8"))["cells"]:
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        return f"in cell {cell.get('execution_count')}: {output['ename']}: {output['evalue']}"
        child = self.children[self.ran[name]]
        log = self.logs[self.ran[name]]
        log.seek(0)
        said = [line for line in log.read().decode("utf-8", errors="replace").splitlines() if line.strip()]
        said = [line for line in said if line.startswith(f"{name}: ")] or said
        if child.poll() is not None and child.returncode != 0:
            return f"when its kernel's process ended (exit code {child.returncode})" + (f": {said[-1]}" if said else "")
        return "before its first cell: " + (said[-1] if said else "no output")


def without_iri_checks() -> None:
    """Keep jsonschema from loading its optional IRI format checks (``rfc3987_syntax``, which builds a grammar
    parser as it loads: about two seconds of a processor) in this process. nbformat and papermill load jsonschema
    but never check an IRI; a process of the report's (the runner, each kernel's child) calls this before it
    loads them. Nothing changes if jsonschema is loaded already."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None: an import of it fails, as if it were not installed


def _watch(runner: int, sockets: str) -> None:
    """Exit the process as soon as its parent is no longer ``runner`` (the runner died; the process was adopted),
    its kernel's ``sockets`` folder (and connection file) removed; the kernel, which watches this process, ends by
    itself."""
    while os.getppid() == runner:
        time.sleep(WATCH)
    shutil.rmtree(sockets, ignore_errors=True)
    os._exit(1)


def _run(manager, code: str) -> None:
    """Run ``code`` in the kernel of ``manager``, silently (no output, no history, no cell number)."""
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(code, silent=True, store_history=False, timeout=120)
    finally:
        client.stop_channels()


def _kernel(name: str, sockets: str, number: int):
    """Kernel ``name`` started in a neutral folder (no package beside it shadows the installed one), talking over
    Unix sockets in folder ``sockets`` (``kernel<number>-*``, beside its connection file, removed with the folder even
    by :func:`_watch`): not TCP ports, since a port picked free can be taken by another process (two kernels starting
    at once) before the kernel binds it, and its client then waits for a kernel that never answers."""
    from jupyter_client.manager import KernelManager

    manager = KernelManager(
        kernel_name=name,
        transport="ipc",
        ip=os.path.join(sockets, f"kernel{number}"),
        connection_file=os.path.join(sockets, f"kernel{number}.json"),
    )
    try:
        manager.start_kernel(cwd=tempfile.gettempdir(), stdout=sys.stderr)  # its output to the log, not the answers
    except BaseException:  # Ctrl-C as it starts: a kernel already started is not left to outlive its process
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        raise
    return manager


def main(argv: list[str]) -> None:
    """The child's side: start kernel ``argv[1]`` with its sockets in folder ``argv[2]`` and warm it, then run the
    runs given on standard input (each a line with the umask and the folder, the notebooks' names, an empty line),
    while the runner ``argv[0]`` (a process id) lives; remove the folder as it ends."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sockets = argv[2]
    manager = None
    try:  # a run stopped while the kernel starts (a refusal, Ctrl-C) leaves no folder either
        threading.Thread(target=_watch, args=(int(argv[0]), sockets), daemon=True).start()
        kernel = argv[1]
        without_iri_checks()
        import papermill

        started = 1
        manager = _kernel(kernel, sockets, started)
        _run(manager, WARM)
        for opened in sys.stdin:
            mask, folder = opened.rstrip("\n").split(" ", 1)
            os.umask(int(mask, 8))
            os.chdir(folder)
            opening = f"import os; os.umask({int(mask, 8)}); os.chdir({os.path.join(folder, 'notebooks')!r})"
            try:
                _run(manager, opening)
            except RuntimeError as exc:  # the kernel died or hangs since the last run (memory ran out, say)
                print(f"a new kernel: {exc}", file=sys.stderr, flush=True)
                manager.shutdown_kernel(now=True)
                started += 1
                manager = _kernel(kernel, sockets, started)
                _run(manager, WARM)
                _run(manager, opening)
            ended = False
            for line in sys.stdin:
                name = line.strip()
                if not name:  # the run's end: wait for the next
                    ended = True
                    break
                _run(manager, RESET)
                try:
                    papermill.execute_notebook(
                        os.path.join("sources", f"{name}.ipynb"),
                        os.path.join("notebooks", f"{name}.ipynb"),
                        parameters={"run": RUN},
                        kernel_name=kernel,
                        km=manager,
                        progress_bar=False,
                        request_save_on_cell_execute=False,  # written once, when done: not after every cell
                        cwd=folder,
                    )
                except Exception as exc:  # a cell's error, or the kernel died (DeadKernelError), or it timed out
                    print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                    print("failed", flush=True)
                else:
                    print("ok", flush=True)
            if not ended:  # no more runs
                break
            neutral = tempfile.gettempdir()  # between runs, not in a folder the run moves into place or removes
            os.chdir(neutral)
            _run(manager, f"import os; os.chdir({neutral!r})")
            print("ended", flush=True)
    finally:
        try:  # after Ctrl-C in papermill, its event loop may raise it again here: the kernel ends with this process
            if manager is not None and manager.has_kernel:
                manager.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(sockets, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
