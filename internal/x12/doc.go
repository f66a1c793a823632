// Package x12 reads and writes the ANSI X12 EDI files that US health
// insurance runs on, version 005010: the interchange envelope (ISA/IEA,
// GS/GE, ST/SE) and the two HIPAA transactions Tend needs — the 837P
// professional claim (005010X222A1) sent to a clearinghouse, and the 835
// remittance advice (005010X221A1) that says what a payer paid.
//
// The package knows the format and its rules, nothing about Tend's
// tables: billing turns invoices into [Claim] values and gives them to
// [WriteClaims], and posts the [Remittance] values that [ReadRemittances]
// returns. Amounts are integer cents throughout; a file whose numbers do
// not add up is refused rather than half-read.
package x12
