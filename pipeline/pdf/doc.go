// Package pdf reads the text of Chinese newspaper PDFs, page by page, in reading order.
// It exists because the usual Go reader returns U+FFFD or mojibake, without an error, for most
// Chinese font encodings, and ignores layout; a fact pipeline needs to know which text it can trust.
//
// The flow for one document:
//
//	bytes ─► open (ledongthuc/pdf: xref, objects, streams; read budget)
//	      ─► page tree (own walk: inherited resources, no cycles)
//	      ─► per page, a recover boundary:
//	           content stream ─► glyphs (own interpreter: text matrices, forms, marked content)
//	           fonts ─► Unicode: ToUnicode │ predefined CJK CMaps (GBK-EUC-H, UniGB-UTF16-H …
//	                    decoded through golang.org/x/text) │ CID → Unicode tables of poppler-data
//	                    (Adobe-GB1, -CNS1, -Japan1, -Korea1) │ GBK bytes inside a Latin font
//	           glyphs ─► atoms ─► XY-cut blocks ─► lines ─► paragraphs, headlines
//	      ─► running headers, footers and page numbers removed across pages
//	      ─► per page: quality judged; pdftotext, then pdftoppm + tesseract when the text layer
//	         is unusable and the tools are installed; else NeedsOCR
//
// ledongthuc/pdf is used for what it does well (objects, streams, filters, decryption with an
// empty password) and not for text: its Content() takes glyph widths from single bytes, so
// the positions of two-byte CID glyphs are wrong, and it knows only ToUnicode maps. It panics
// on malformed input; every page here is a recover boundary, and a ReaderAt with a read and
// time budget stops the loops it cannot stop itself.
package pdf
