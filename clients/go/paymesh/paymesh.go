// Package paymesh holds small helpers for calling Paymesh's PaymentService from Go with the
// generated client in paymesh.dev/clients/go/gen/payments/v1.
//
//	conn, err := grpc.Dial(target, grpc.WithInsecure(), paymesh.BearerToken(token, false))
//	client := paymentsv1.NewPaymentServiceClient(conn)
//	_, err = client.CreatePayment(ctx, request)
//	switch paymesh.Reason(err) {
//	case "IDEMPOTENCY_KEY_IN_USE": // the first request with this key is still running: retry later
//	}
package paymesh

import (
	"context"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the ErrorInfo domain of every error Paymesh returns.
const ErrorDomain = "paymesh.dev"

// ErrorInfo returns the google.rpc.ErrorInfo Paymesh attached to err, or nil when err carries none
// (a transport failure, or nil).
func ErrorInfo(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok || st == nil {
		return nil
	}
	for _, detail := range st.Details() {
		if info, ok := detail.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// Reason returns the ErrorInfo reason of err, e.g. "INVALID_FIELD"; "" when it carries none.
// Branch on the reason, never on the message text.
func Reason(err error) string {
	if info := ErrorInfo(err); info != nil {
		return info.GetReason()
	}
	return ""
}

// Field returns the request field at fault, e.g. "amount.currency"; "" when the error names none.
func Field(err error) string {
	if info := ErrorInfo(err); info != nil {
		return info.GetMetadata()["field"]
	}
	return ""
}

type bearerToken struct {
	header string
	secure bool
}

func (t bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": t.header}, nil
}

func (t bearerToken) RequireTransportSecurity() bool { return t.secure }

// BearerToken sends the caller's token with every call. Pass requireTLS=true in production so
// the token is never sent over a plaintext connection.
func BearerToken(token string, requireTLS bool) grpc.DialOption {
	return grpc.WithPerRPCCredentials(bearerToken{header: "Bearer " + token, secure: requireTLS})
}
