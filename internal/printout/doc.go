// Package printout writes printable PDFs headed by the provider's
// letterhead: a blank sheet of letter paper to print letters on, and
// any form or measure template laid out as a paper form to fill in by
// hand, with ruled lines, tick boxes and signature lines. Output is US
// Letter in the PDF core fonts and depends only on its input, so the
// same template and letterhead always give the same bytes.
package printout
