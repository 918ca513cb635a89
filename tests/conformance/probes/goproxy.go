// Prints, for each URL argument, the proxy net/http.ProxyFromEnvironment picks, or DIRECT.
// net/http uses golang.org/x/net/http/httpproxy (vendored), reading HTTP(S)_PROXY/NO_PROXY.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	for _, u := range os.Args[1:] {
		req, err := http.NewRequest("GET", u, nil)
		if err != nil {
			fmt.Println("ERROR", err)
			continue
		}
		proxy, err := http.ProxyFromEnvironment(req)
		switch {
		case err != nil:
			fmt.Println("ERROR", err)
		case proxy == nil:
			fmt.Println("DIRECT")
		default:
			fmt.Println(proxy.String())
		}
	}
}
