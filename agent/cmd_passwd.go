package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/heimnetz/heimnetz/web"
)

// cmdPasswd reads a password from standard input and prints its hash for
// the config's admin_password_hash (UCI: heimnetz.main.admin_password_hash).
func cmdPasswd(args []string) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(os.Stderr, "Usage: heimnetz passwd\n\nReads the admin password from standard input (one line) and prints the hash\nto put in the config's admin_password_hash. The password itself is never stored.")
			return 0
		}
		fmt.Fprintln(os.Stderr, "heimnetz passwd: takes no arguments; the password is read from standard input")
		return 2
	}
	fmt.Fprint(os.Stderr, "Admin password (at least 8 characters): ")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(os.Stderr, "\nheimnetz passwd: no password given")
		return 2
	}
	pw := strings.TrimRight(line, "\r\n")
	if len(pw) < 8 {
		fmt.Fprintln(os.Stderr, "\nheimnetz passwd: the password must have at least 8 characters")
		return 2
	}
	hash, err := web.HashPassword(pw)
	if err != nil {
		fmt.Fprintln(os.Stderr, "\nheimnetz passwd:", err)
		return 1
	}
	fmt.Fprintln(os.Stderr)
	fmt.Println(hash)
	return 0
}
