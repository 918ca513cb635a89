// Prints "ok" or the error of path.Match for each pattern argument, one per line: the glob
// syntax GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE use.
package main

import (
	"fmt"
	"os"
	"path"
)

func main() {
	for _, p := range os.Args[1:] {
		if _, err := path.Match(p, "example.com/x"); err != nil {
			fmt.Println(err)
		} else {
			fmt.Println("ok")
		}
	}
}
