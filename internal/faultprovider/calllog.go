package faultprovider

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/payhost/payhost/plugin"
)

// OpConfigure is how the call log names Configure calls.
const OpConfigure plugin.Operation = "configure"

// Call is one call the fault plugin received, as its call log records it.
type Call struct {
	Operation plugin.Operation
	// ID is the call's attempt id, or the instance address for Configure.
	ID string
}

// callLog appends one line per call to the file it names ("" records
// nothing). Each line is written before the call is handled, so it
// survives a crash during the call.
type callLog string

func (l callLog) add(op plugin.Operation, id string) {
	if l == "" {
		return
	}
	f, err := os.OpenFile(string(l), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err == nil {
		_, err = fmt.Fprintf(f, "%s %s\n", op, id)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		panic(fmt.Sprintf("faultprovider: cannot write the call log: %v", err))
	}
}

// ReadCalls reads the call log at path (see EnvCallLog), oldest first; a
// missing file holds no calls.
func ReadCalls(path string) ([]Call, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var calls []Call
	s := bufio.NewScanner(f)
	for s.Scan() {
		op, id, _ := strings.Cut(s.Text(), " ")
		calls = append(calls, Call{Operation: plugin.Operation(op), ID: id})
	}
	return calls, s.Err()
}
