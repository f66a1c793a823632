package pdftext

import (
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Letter is a new portrait US Letter document measured in millimetres,
// with equal margins that page breaks respect, "{nb}" standing for the
// page count, and its title, creator and dates set so the same input
// gives the same bytes. It returns the document and fpdf's translator
// for Printable.
func Letter(title string, created time.Time, margin float64) (*fpdf.Fpdf, func(string) string) {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AliasNbPages("{nb}")
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Tend", true)
	return pdf, pdf.UnicodeTranslatorFromDescriptor("")
}
