// Command sizes reports which Go packages take the bytes of a heimnetz
// binary, so that every dependency can be seen to earn its place on a
// router's flash.
//
// It builds the agent without -s -w (or reads a binary given with -bin),
// reads the ELF symbol table (the data `go tool nm -size -sort size` shows),
// sums the sizes of the symbols that occupy file bytes (code, read-only data,
// initialised data; never .bss) per Go package, and prints the largest
// packages followed by the bytes no symbol claims, such as the function
// tables in .gopclntab that grow with the amount of code.
//
//	go run ./scripts/cross/sizes -target mipsel_24kc -top 10
//	go run ./scripts/cross/sizes -bin ./heimnetz.debug
package main
