"""Hosts as network namespaces on one bridge (which lives in a namespace of its own, so the machine's own
network is never touched), each with a veth and addresses in 10.77.0.0/24; processes started in them, logged to
files, and everything removed at the end."""

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "tcl"  # every namespace and link of the run starts with it
NET = "10.77.0"


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True)
    if check and done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done


@dataclass
class Host:
    name: str
    addresses: tuple[str, ...]  # one link each (the data host has one for PostgreSQL and one for Redis)
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def netns(self) -> str:
        return f"{PREFIX}-{self.name}"

    @property
    def address(self) -> str:
        return self.addresses[0]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return sh("ip", "netns", "exec", self.netns, *args, check=check)

    def start(self, name: str, command: list[str], env: dict[str, str], cwd: Path | None = None,
              user: str | None = None) -> subprocess.Popen:  # fmt: skip
        """A process in this host's namespace, in a session of its own (so it can be killed with its children)."""
        wrapped = ["ip", "netns", "exec", self.netns, *(["runuser", "-u", user, "--"] if user else []), *command]
        log = (self.logs / f"{self.name}-{name}.log").open("a")
        process = subprocess.Popen(wrapped, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        self.processes.append(process)
        return process

    def link(self, index: int) -> str:
        return f"eth{index}"


def kill(process: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 15.0) -> None:
    """The process and everything it started (its session)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Network:
    """The switch namespace with its bridge, and one namespace per host linked to it by a veth pair."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.hosts: dict[str, Host] = {}
        self.switch = f"{PREFIX}-switch"

    def build(self, layout: dict[str, tuple[str, ...]]) -> dict[str, Host]:
        self.tear_down()  # what a run killed before its end left behind
        sh("ip", "netns", "add", self.switch)
        sw = ("ip", "netns", "exec", self.switch)
        sh(*sw, "ip", "link", "add", "br0", "type", "bridge")
        sh(*sw, "ip", "link", "set", "br0", "up")
        sh(*sw, "ip", "link", "set", "lo", "up")
        for number, (name, suffixes) in enumerate(layout.items()):
            host = Host(name, tuple(f"{NET}.{suffix}" for suffix in suffixes), self.logs)
            sh("ip", "netns", "add", host.netns)
            host.run("ip", "link", "set", "lo", "up")
            for index, address in enumerate(host.addresses):
                outside, inside = f"{PREFIX}{number}s{index}", f"{PREFIX}{number}h{index}"
                sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
                sh("ip", "link", "set", outside, "netns", self.switch)
                sh("ip", "link", "set", inside, "netns", host.netns)
                sh(*sw, "ip", "link", "set", outside, "master", "br0")
                sh(*sw, "ip", "link", "set", outside, "up")
                host.run("ip", "link", "set", inside, "name", host.link(index))
                host.run("ip", "addr", "add", f"{address}/24", "dev", host.link(index))
                host.run("ip", "link", "set", host.link(index), "up")
            self.hosts[name] = host
        return self.hosts

    def cut(self, host: Host, index: int, cut: bool) -> None:
        """Take one of a host's links down (nothing reaches that address: packets are dropped) or up again."""
        host.run("ip", "link", "set", host.link(index), "down" if cut else "up")

    def tear_down(self) -> None:
        for host in self.hosts.values():
            for process in reversed(host.processes):
                kill(process, wait=10)
        listed = sh("ip", "netns", "list", check=False).stdout.split()
        for name in listed:
            if name.startswith(f"{PREFIX}-"):
                for pid in sh("ip", "netns", "pids", name, check=False).stdout.split():
                    if int(pid) != os.getpid():  # the run itself is a client on the edge host
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(int(pid), signal.SIGKILL)
                time.sleep(0.1)
                sh("ip", "netns", "del", name, check=False)
