package keystore_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/anykey-app/anykey/keystore"
)

func ExampleMemory() {
	ctx := context.Background()
	var s keystore.Store = keystore.NewMemory() // keystore.Open("") in production
	e := keystore.Entry{Name: "work", APIURL: "http://127.0.0.1:31009"}
	if err := s.Set(ctx, e, "example-key", false); err != nil {
		fmt.Println(err)
	}
	err := s.Set(ctx, e, "another-key", false)
	fmt.Println(errors.Is(err, keystore.ErrExists))
	key, _ := s.Get(ctx, "work")
	fmt.Println(key)
	_, err = s.Get(ctx, "home")
	fmt.Println(errors.Is(err, keystore.ErrNotFound))
	// Output:
	// true
	// example-key
	// true
}

func ExampleValidateName() {
	for _, name := range []string{"Claude Desktop", "a/b", " padded"} {
		fmt.Println(name, keystore.ValidateName(name) == nil)
	}
	// Output:
	// Claude Desktop true
	// a/b false
	//  padded false
}
