"""A fake OpenAI-compatible server: real HTTP on loopback, speaking the chat-completions wire format,
scripted per test. The real `openai` client talks to it exactly as it would to OpenAI."""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    content: str | None = None  # the assistant message text
    body: dict | None = None  # a raw JSON body (errors)
    hang_seconds: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 200


@dataclass
class FakeOpenAI:
    """Queue replies with the helpers; each request takes the next one (500 when none is left)."""

    replies: deque = field(default_factory=deque)
    requests: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    _released: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    # --- scripting ---

    def reply_items(self, items: list[Any], **tokens: int) -> None:
        """The model answers with these question items (as the structured output)."""
        self.replies.append(Reply(content=json.dumps({"questions": items}), **tokens))

    def reply_content(self, content: str) -> None:
        """The model answers with this exact text (malformed JSON, say)."""
        self.replies.append(Reply(content=content))

    def reply_status(self, status: int, message: str = "error") -> None:
        self.replies.append(
            Reply(status=status, body={"error": {"message": message, "type": "server_error"}})
        )

    def hang(self, seconds: float) -> None:
        """Hold the request for `seconds` (until the test ends at the latest)."""
        self.replies.append(Reply(hang_seconds=seconds, content=json.dumps({"questions": []})))

    # --- lifecycle ---

    def start(self) -> "FakeOpenAI":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(payload)
                fake.headers.append(dict(self.headers))
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                reply = (
                    fake.replies.popleft()
                    if fake.replies
                    else Reply(status=500, body={"error": {"message": "unscripted"}})
                )
                if reply.hang_seconds:
                    fake._released.wait(reply.hang_seconds)
                if reply.status != 200:
                    return self._send(reply.status, reply.body or {})
                return self._send(
                    200,
                    {
                        "id": f"chatcmpl-{len(fake.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": payload.get("model", "gpt-4o-mini"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply.content, "refusal": None},
                                "finish_reason": "stop",
                                "logprobs": None,
                            }
                        ],
                        "usage": {
                            "prompt_tokens": reply.prompt_tokens,
                            "completion_tokens": reply.completion_tokens,
                            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                        },
                    },
                )

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout): that is the point of the test

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
