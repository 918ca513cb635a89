// Expands each argument the way GitLab Runner expands job variables, the `environment` entries
// of config.toml among them: common.JobVariables.ExpandValue is os.Expand(value, Get), and Get
// (transcribed below from gitlab-runner's common/variables.go) maps "$" to itself, so "$$" is a
// literal "$", the special shell names to "", and any other name to the job variable of that
// name, "" when there is none. Job variables are this program's environment.
package main

import (
	"fmt"
	"os"
)

func get(key string) string {
	switch key {
	case "$":
		return key
	case "*", "#", "@", "!", "?", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9":
		return ""
	}
	return os.Getenv(key)
}

func main() {
	for _, arg := range os.Args[1:] {
		fmt.Println(os.Expand(arg, get))
	}
}
