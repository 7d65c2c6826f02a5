"""A fake OpenAI-compatible server: real HTTP on loopback, speaking the chat-completions wire format,
scripted per test. The real `openai` client talks to it exactly as it would to OpenAI.

Run on its own (`python -m quizzes.tests.fake_openai --port 8765`) it answers every request with
valid questions for exactly what the prompt asks, for trying generation end to end:
OPENAI_API_KEY=fake OPENAI_BASE_URL=http://127.0.0.1:8765/v1 make run"""

import argparse
import itertools
import json
import re
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
    auto: bool = False  # with no scripted reply, write valid questions for what the prompt asks
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

    def start(self, port: int = 0, latency: float = 0.0) -> "FakeOpenAI":
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
                if fake.replies:
                    reply = fake.replies.popleft()
                elif fake.auto:
                    reply = Reply(content=json.dumps({"questions": written_for(payload)}))
                else:
                    reply = Reply(status=500, body={"error": {"message": "unscripted"}})
                if reply.hang_seconds or latency:
                    fake._released.wait(reply.hang_seconds or latency)
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

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
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


WANTED_LINE = re.compile(r"- (\d+) × (\w+) (\w+) in domain “(.+)”")
_serial = itertools.count(1)


def written_for(payload: dict) -> list[dict]:
    """Valid items for each "- N × difficulty type in domain “X”" line of the prompt."""
    prompt = payload["messages"][-1]["content"]
    items = []
    for count, difficulty, question_type, domain in WANTED_LINE.findall(prompt):
        for _ in range(int(count)):
            n = next(_serial)
            if question_type == "true_false":
                options, answers = ["True", "False"], ["True"]
            elif question_type == "multi_select":
                options = ["Amazon S3", "Amazon DynamoDB", "Amazon EC2", "Amazon VPC", "AWS IAM"]
                answers = ["Amazon S3", "Amazon DynamoDB"]
            else:
                options, answers = ["Amazon S3", "Amazon EBS", "Amazon EFS", "Instance store"], ["Amazon S3"]
            items.append(
                {
                    "domain": domain,
                    "difficulty": difficulty,
                    "question_type": question_type,
                    "question_text": f"[fake model] {difficulty} {question_type} question #{n} about {domain}?",
                    "options": options,
                    "correct_answers": answers,
                    "explanation": "Written by the fake model for testing; Amazon S3 is the durable object store.",
                    "reference_url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html",
                }
            )
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="Seconds to wait before each answer.")
    args = parser.parse_args()
    fake = FakeOpenAI(auto=True)
    fake.start(port=args.port, latency=args.latency)
    print(f"fake OpenAI-compatible server on {fake.base_url}", flush=True)  # noqa: T201 (a CLI)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
