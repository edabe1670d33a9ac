// Package pipeline holds the document model that every stage reads and writes, and the
// runner that moves documents through the stages with bounded concurrency.
//
// The flow, with the runner owning every goroutine and channel:
//
//	source ──► [batches] ──► N workers: decode → clean → split → segment → extract → link
//	                                           │
//	                         ordered by batch sequence number
//	                                           ▼
//	                                         sink (Parquet or JSON Lines)
//
// Stages are plain functions over one *Doc. They never see channels and never stop the run
// for a problem with one document: they record it on the document (Doc.Fail) and return.
// Only configuration and output I/O errors end a run.
package pipeline
