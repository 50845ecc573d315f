// Command interop calls a running router with the generated Go client and prints one JSON report
// of what it saw; it exits 1 when a check failed. The repository's interop test runs it.
//
//	go run ./cmd/interop -target HOST:PORT -token TOKEN
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	pb "paymesh.dev/clients/go/gen/payments/v1"
	"paymesh.dev/clients/go/paymesh"
)

type refusal struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
	Field  string `json:"field,omitempty"`
	Domain string `json:"domain,omitempty"`
}

type report struct {
	Created  string   `json:"created"`
	Status   string   `json:"status"`
	Replayed string   `json:"replayed"`
	Fetched  string   `json:"fetched"`
	Invalid  *refusal `json:"invalid"`
	BadToken *refusal `json:"bad_token"`
	Failed   []string `json:"failed"`
}

func qris(key string) *pb.CreatePaymentRequest {
	return &pb.CreatePaymentRequest{
		IdempotencyKey:    key,
		Amount:            &pb.Money{Currency: "IDR", MinorUnits: 1_500_000},
		Method:            &pb.CreatePaymentRequest_Qris{Qris: &pb.QrisMethod{TerminalLabel: "KASIR-GO"}},
		MerchantReference: "order-" + key,
	}
}

func refusalOf(err error) *refusal {
	if err == nil {
		return nil
	}
	r := &refusal{Code: status.Code(err).String(), Reason: paymesh.Reason(err), Field: paymesh.Field(err)}
	if info := paymesh.ErrorInfo(err); info != nil {
		r.Domain = info.GetDomain()
	}
	return r
}

func dial(target, token string) (pb.PaymentServiceClient, func(), error) {
	conn, err := grpc.Dial(target, grpc.WithInsecure(), paymesh.BearerToken(token, false))
	if err != nil {
		return nil, nil, err
	}
	return pb.NewPaymentServiceClient(conn), func() { conn.Close() }, nil
}

func run(target, token string) (*report, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, closeClient, err := dial(target, token)
	if err != nil {
		return nil, err
	}
	defer closeClient()
	key := fmt.Sprintf("go-%d", time.Now().UnixNano())
	out := &report{Failed: []string{}}

	created, err := client.CreatePayment(ctx, qris(key))
	if err != nil {
		return nil, fmt.Errorf("CreatePayment: %w", err)
	}
	out.Created, out.Status = created.GetPayment().GetId(), created.GetPayment().GetStatus().String()
	replayed, err := client.CreatePayment(ctx, qris(key))
	if err != nil {
		return nil, fmt.Errorf("CreatePayment (replay): %w", err)
	}
	out.Replayed = replayed.GetPayment().GetId()
	fetched, err := client.GetPayment(ctx, &pb.GetPaymentRequest{PaymentId: out.Created})
	if err != nil {
		return nil, fmt.Errorf("GetPayment: %w", err)
	}
	out.Fetched = fetched.GetPayment().GetId()

	bad := qris(key + "-bad")
	bad.Amount.Currency = "idr"
	_, err = client.CreatePayment(ctx, bad)
	out.Invalid = refusalOf(err)

	stranger, closeStranger, err := dial(target, "not-a-token-we-gave-anyone")
	if err != nil {
		return nil, err
	}
	defer closeStranger()
	_, err = stranger.GetPayment(ctx, &pb.GetPaymentRequest{PaymentId: out.Created})
	out.BadToken = refusalOf(err)

	check := func(name string, ok bool) {
		if !ok {
			out.Failed = append(out.Failed, name)
		}
	}
	check("create", out.Status == pb.PaymentStatus_PAYMENT_STATUS_REQUIRES_ACTION.String())
	check("replay", out.Replayed == out.Created)
	check("get", out.Fetched == out.Created)
	check("invalid", out.Invalid != nil && out.Invalid.Code == "InvalidArgument" &&
		out.Invalid.Reason == "INVALID_FIELD" && out.Invalid.Field == "amount.currency")
	check("bad_token", out.BadToken != nil && out.BadToken.Code == "Unauthenticated" &&
		out.BadToken.Reason == "UNAUTHENTICATED")
	return out, nil
}

func main() {
	target := flag.String("target", "", "the router's gRPC address, host:port")
	token := flag.String("token", "", "a caller's bearer token")
	flag.Parse()
	if *target == "" || *token == "" {
		fmt.Fprintln(os.Stderr, "interop: -target and -token are required")
		os.Exit(2)
	}
	out, err := run(*target, *token)
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
	encoded, _ := json.MarshalIndent(out, "", "  ")
	fmt.Println(string(encoded))
	if len(out.Failed) > 0 {
		os.Exit(1)
	}
}
