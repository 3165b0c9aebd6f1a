// Command reqtrail is a git-native requirements-as-code toolchain.
package main

import (
	"os"

	"github.com/reqtrail/reqtrail/pkg/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
