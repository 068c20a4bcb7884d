"""An honest client beside hostile ones (issue 19): header-only gRPC calls on one connection and
slow-body REST connections. Prints the honest client's success rate and p99, alone and under attack.

usage: untrusted_callers.py GRPC_PORT HTTP_PORT REQUEST_FILE CALLS SILENT_GRPC SLOW_REST
"""
import socket
import sys
import threading
import time

import grpc

PREDICT = "/tensorflow.serving.PredictionService/Predict"


def honest(port, request, calls):
    """`calls` Predicts one after another on a connection of their own: (successes, p99 seconds)."""
    with grpc.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.max_receive_message_length", 64 << 20)]) as channel:
        predict = channel.unary_unary(PREDICT)
        latencies, ok, codes = [], 0, {}
        for _ in range(calls):
            start = time.perf_counter()
            try:
                predict(request, timeout=30)
                ok += 1
                latencies.append(time.perf_counter() - start)
            except grpc.RpcError as error:
                codes[error.code().name] = codes.get(error.code().name, 0) + 1
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
        return ok, p99, codes


def silent_grpc(port, count, stop):
    """`count` Predicts on one connection that send their headers and never their message; each the server
    ends is started again, until `stop`."""
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    stream = channel.stream_stream(PREDICT)

    def never():
        stop.wait()
        return
        yield  # a generator that yields nothing: headers only

    calls = []
    def start_one():
        call = stream(never())
        call.add_done_callback(lambda _: None if stop.is_set() else start_one())
        calls.append(call)

    for _ in range(count):
        start_one()
    stop.wait()
    for call in calls:
        call.cancel()
    channel.close()


def slow_rest(port, count, stop):
    """`count` connections announcing a 1 MB body and sending one byte a second; reconnecting when closed."""
    def one():
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", port)) as s:
                    s.sendall(b"POST /v2/models/resnet/infer HTTP/1.1\r\nHost: x\r\n"
                              b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
                    while not stop.wait(1):
                        s.sendall(b" ")
            except OSError:
                pass  # closed by the server (408): connect again
    threads = [threading.Thread(target=one, daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
    stop.wait()


def main():
    grpc_port, http_port, request_file, calls, silent, slow = sys.argv[1:7]
    request = open(request_file, "rb").read()
    calls, silent, slow = int(calls), int(silent), int(slow)
    honest(grpc_port, request, max(10, calls // 10))  # warm-up
    ok_alone, p99_alone, codes_alone = honest(grpc_port, request, calls)
    stop = threading.Event()
    attackers = [threading.Thread(target=silent_grpc, args=(grpc_port, silent, stop), daemon=True),
                 threading.Thread(target=slow_rest, args=(int(http_port), slow, stop), daemon=True)]
    for t in attackers:
        t.start()
    time.sleep(2)  # let the attack take hold (a pace of this benchmark, not of a test)
    ok_attack, p99_attack, codes_attack = honest(grpc_port, request, calls)
    stop.set()
    print(f"honest alone:  {ok_alone}/{calls} succeeded, p99 {p99_alone * 1000:.1f} ms, failures {codes_alone}")
    print(f"honest beside {silent} header-only gRPC calls on one connection and {slow} slow-body REST connections:"
          f" {ok_attack}/{calls} succeeded ({100.0 * ok_attack / calls:.1f}%), p99 {p99_attack * 1000:.1f} ms"
          f" ({p99_attack / p99_alone:.2f}x alone), failures {codes_attack}")
    print(f"goals: success >= 99%: {'met' if ok_attack >= 0.99 * calls else 'NOT met'};"
          f" p99 <= 2x alone: {'met' if p99_attack <= 2 * p99_alone else 'NOT met'}")


if __name__ == "__main__":
    main()
