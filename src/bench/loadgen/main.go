// Command loadgen sends one serialized gRPC request message over and over, open loop (a fixed rate
// of calls started) or closed loop (each caller sends again when answered), and writes a report in
// ghz's JSON shape (count, total, average, statusCodeDistribution, errorDistribution, details).
//
// It exists for overload.sh: ghz builds each call's message from the file through protobuf
// reflection, which for a 602 KB tensor took a quarter of this 2-core machine at 10x ResNet-50's
// capacity and delayed its own reading of the refusals. Here the request's bytes go out as they are
// (a pass-through codec) and the replies are not parsed, so the load generator takes little of
// the CPU the server shares with it. Its flags are named as ghz's.
//
// With --http it POSTs the file instead, over HTTP/1.1, to http://host:port followed by --call (a
// path), each caller on a keep-alive connection of its own, as REST clients send: statuses are
// reported under the gRPC names of ovserve's HTTP statuses (200 OK, 400 INVALID_ARGUMENT,
// 404 NOT_FOUND, 500 INTERNAL, 503 RESOURCE_EXHAUSTED: the refusal when busy, 504
// DEADLINE_EXCEEDED; any other as HTTP_<code>).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// rawCodec sends a request's bytes as they are and keeps a reply's without parsing it.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	reply := v.(*[]byte)
	*reply = append((*reply)[:0], data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

type call struct {
	Timestamp string `json:"timestamp"`
	Latency   int64  `json:"latency"` // nanoseconds
	Status    string `json:"status"`
	Error     string `json:"error,omitempty"`
}

type report struct {
	Count              int            `json:"count"`
	Total              int64          `json:"total"`   // nanoseconds
	Average            int64          `json:"average"` // nanoseconds
	StatusDistribution map[string]int `json:"statusCodeDistribution"`
	ErrorDistribution  map[string]int `json:"errorDistribution"`
	Details            []call         `json:"details"`
}

func main() {
	target := flag.String("call", "", "the method, as package.Service/Method (with --http: the path)")
	requestFile := flag.String("binary-file", "", "the serialized request message")
	output := flag.String("output", "", "where the JSON report goes (default: standard output)")
	rps := flag.Int("rps", 0, "calls started per second (0: each caller sends again as soon as it is answered)")
	concurrency := flag.Int("concurrency", 50, "callers")
	connections := flag.Int("connections", 1, "connections, the callers spread evenly over them")
	duration := flag.Duration("duration", 10*time.Second, "for how long calls are started")
	durationStop := flag.String("duration-stop", "wait", "only wait: the calls in flight at the end are waited for")
	timeout := flag.Duration("timeout", 20*time.Second, "each call's deadline")
	overHTTP := flag.Bool("http", false, "POST the file over HTTP/1.1 to the path --call names")
	header := flag.String("header", "", "with --http, one request header, as Name: value")
	flag.Parse()
	if flag.NArg() != 1 || *target == "" || *requestFile == "" || *durationStop != "wait" ||
		*concurrency < 1 || *connections < 1 || *rps < 0 {
		fmt.Fprintln(os.Stderr, "usage: loadgen --call=pkg.Service/Method --binary-file=FILE [flags] host:port")
		flag.PrintDefaults()
		os.Exit(2)
	}
	request, err := os.ReadFile(*requestFile)
	if err != nil {
		fail(err)
	}
	if *overHTTP {
		url := "http://" + flag.Arg(0) + *target
		client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: *concurrency,
			MaxIdleConnsPerHost: *concurrency, DisableCompression: true}}
		write(run(*duration, *rps, *concurrency, func(int) call { return post(client, url, *header, request, *timeout) }),
			*output)
		return
	}
	conns := make([]*grpc.ClientConn, *connections)
	for i := range conns {
		conns[i], err = grpc.NewClient(flag.Arg(0), grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}),
				grpc.MaxCallSendMsgSize(len(request)+1024), grpc.MaxCallRecvMsgSize(1<<30)))
		if err != nil {
			fail(err)
		}
		conns[i].Connect()
	}
	fullMethod := "/" + strings.TrimPrefix(*target, "/")
	report := run(*duration, *rps, *concurrency, func(caller int) call {
		return send(conns[caller%len(conns)], fullMethod, request, *timeout) // the callers spread evenly
	})
	write(report, *output)
}

// run has the callers make calls (makeCall(caller)) as the pace hands out starts, and summarizes them.
func run(duration time.Duration, rps, concurrency int, makeCall func(caller int) call) report {
	start := time.Now()
	starts := pace(start, duration, rps)
	calls := make([][]call, concurrency)
	var callers sync.WaitGroup
	for c := range calls {
		callers.Add(1)
		go func(caller int) {
			defer callers.Done()
			for range starts {
				calls[caller] = append(calls[caller], makeCall(caller))
			}
		}(c)
	}
	callers.Wait()
	return summarize(calls, time.Since(start))
}

// pace hands out one start per call: at rps a second, or as fast as the callers take them (rps 0),
// until the duration is over. A start waits while every caller is busy (the channel holds none), so
// the rate offered is at most what the callers can send, as with ghz; the starts missed meanwhile
// are dropped, not sent in a burst afterwards.
func pace(start time.Time, duration time.Duration, rps int) <-chan struct{} {
	starts := make(chan struct{})
	go func() {
		defer close(starts)
		end := start.Add(duration)
		if rps == 0 {
			for time.Now().Before(end) {
				starts <- struct{}{}
			}
			return
		}
		interval := time.Second / time.Duration(rps)
		for next := start; next.Before(end); next = next.Add(interval) {
			time.Sleep(time.Until(next))
			starts <- struct{}{}
			if behind := time.Now().Add(-interval); next.Before(behind) {
				next = behind
			}
		}
	}()
	return starts
}

func send(conn *grpc.ClientConn, method string, request []byte, timeout time.Duration) call {
	var reply []byte
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	err := conn.Invoke(ctx, method, &request, &reply)
	cancel()
	made := call{Timestamp: began.UTC().Format(time.RFC3339Nano), Latency: time.Since(began).Nanoseconds(), Status: "OK"}
	if err != nil {
		s := status.Convert(err)
		made.Status, made.Error = s.Code().String(), s.Message()
	}
	return made
}

// httpStatuses names ovserve's HTTP statuses as the gRPC codes they carry (StatusCode's table).
var httpStatuses = map[int]string{200: "OK", 400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 409: "ABORTED",
	500: "INTERNAL", 503: "RESOURCE_EXHAUSTED", 504: "DEADLINE_EXCEEDED"}

func post(client *http.Client, url, header string, request []byte, timeout time.Duration) call {
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	made := call{Timestamp: began.UTC().Format(time.RFC3339Nano), Status: "OK"}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(request))
	if err != nil {
		fail(err)
	}
	if name, value, found := strings.Cut(header, ":"); found {
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	resp, err := client.Do(req)
	if err == nil {
		var body []byte
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			made.Status, made.Error = httpStatuses[resp.StatusCode], string(body)
			if made.Status == "" {
				made.Status = fmt.Sprintf("HTTP_%d", resp.StatusCode)
			}
		}
	}
	if err != nil {
		made.Status, made.Error = "UNAVAILABLE", err.Error()
		if ctx.Err() != nil {
			made.Status = "DEADLINE_EXCEEDED"
		}
	}
	made.Latency = time.Since(began).Nanoseconds()
	return made
}

func summarize(calls [][]call, total time.Duration) report {
	r := report{Total: total.Nanoseconds(), StatusDistribution: map[string]int{}, ErrorDistribution: map[string]int{}}
	var latencies int64
	for _, made := range calls {
		for _, c := range made {
			r.Details = append(r.Details, c)
			r.StatusDistribution[c.Status]++
			if c.Error != "" {
				r.ErrorDistribution[c.Status+": "+c.Error]++
			}
			latencies += c.Latency
		}
	}
	r.Count = len(r.Details)
	if r.Count > 0 {
		r.Average = latencies / int64(r.Count)
	}
	return r
}

func write(r report, output string) {
	out := os.Stdout
	if output != "" {
		file, err := os.Create(output)
		if err != nil {
			fail(err)
		}
		defer file.Close()
		out = file
	}
	if err := json.NewEncoder(out).Encode(r); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}
