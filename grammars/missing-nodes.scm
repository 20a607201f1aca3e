;; Tokens tree-sitter inserted to recover from a syntax error, counted with the ERROR nodes in the index
;; summary (server/src/index/extract/error-count.ts). A MISSING node has the type of the token it stands for, so
;; unlike every other node the extractor reads, it cannot be collected by type: this query finds them,
;; run only over the top-level items that hold an error.
(MISSING) @missing
