"""The Chrome DevTools protocol over the browser's own socket, for what Selenium's
`execute_cdp_cmd` cannot do: reach the service worker. `Network.emulateNetworkConditions` sent
to a page leaves the service worker's own fetches online (DevTools' "Offline" box attaches to
every worker to take them offline too), so a real offline test must do the same.

Chrome stops an idle service worker and starts it again for the next navigation, as a new
target; one with DevTools attached is kept running. So every page and worker is attached
(new ones as they start, by a thread that reads the socket), and going offline first makes
sure the service worker is running and attached."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
import urllib.request

import websocket

OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
KINDS = ("page", "service_worker")


class DevTools:
    def __init__(self, driver):
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{address}/json/version", timeout=5) as answer:
            url = json.load(answer)["webSocketDebuggerUrl"]
        self.socket = websocket.create_connection(url, suppress_origin=True, timeout=None)
        self.conditions = ONLINE
        self.next_id = 0
        self.lock = threading.Lock()
        self.waiting: dict[int, queue.Queue] = {}
        self.sessions: dict[str, str] = {}  # target id -> session id
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True},
        )
        self._attach_all()

    def _attach_all(self) -> list[dict]:
        targets = [t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] in KINDS]
        for target in targets:
            if target["targetId"] not in self.sessions:
                with contextlib.suppress(RuntimeError):  # attached meanwhile, or gone
                    self.send(
                        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
                    )
        time.sleep(0.2)  # the attach events have been read
        return targets

    def _post(self, method: str, params: dict | None, session: str | None) -> int:
        with self.lock:
            self.next_id += 1
            message = {"id": self.next_id, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            self.socket.send(json.dumps(message))
            return self.next_id

    def _read(self) -> None:
        while True:
            try:
                message = json.loads(self.socket.recv())
            except (websocket.WebSocketException, OSError, ValueError):
                return
            if "id" in message:
                waiting = self.waiting.pop(message["id"], None)
                if waiting is not None:
                    waiting.put(message)
            elif message.get("method") == "Target.attachedToTarget":
                params = message["params"]
                session, target = params["sessionId"], params["targetInfo"]
                self.sessions[target["targetId"]] = session
                if target["type"] in KINDS:
                    self._post("Network.enable", None, session)
                    self._post("Network.emulateNetworkConditions", self.conditions, session)
            elif message.get("method") == "Target.detachedFromTarget":
                gone = message["params"].get("targetId")
                self.sessions.pop(gone, None)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        answer: queue.Queue = queue.Queue()
        with self.lock:
            self.next_id += 1
            number = self.next_id
            self.waiting[number] = answer
            message = {"id": number, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            self.socket.send(json.dumps(message))
        reply = answer.get(timeout=20)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def network(self, conditions: dict) -> None:
        """The same network conditions for every page and service worker, now and later."""
        self.conditions = conditions
        for session in list(self.sessions.values()):
            with contextlib.suppress(RuntimeError, queue.Empty):  # a target that has gone
                self.send("Network.emulateNetworkConditions", conditions, session=session)

    def offline(self) -> None:
        """Wait for a running service worker (attached, it stays running), then go offline."""
        for _ in range(50):
            if any(t["type"] == "service_worker" for t in self._attach_all()):
                break
        else:
            raise AssertionError("no service worker is running")
        self.network(OFFLINE)

    def online(self) -> None:
        self.network(ONLINE)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, queue.Empty):
            self.send(
                "Target.setAutoAttach", {"autoAttach": False, "waitForDebuggerOnStart": False}
            )
        for session in list(self.sessions.values()):
            with contextlib.suppress(RuntimeError, queue.Empty):  # the worker or page has gone
                self.send("Target.detachFromTarget", {"sessionId": session})
        self.socket.close()
