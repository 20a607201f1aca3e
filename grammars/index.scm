;; Constructs the kernel index extracts from one C file (server/src/index/extract.ts).
;; Captures come back in document order; the extractor tracks the enclosing function by range, so
;; every pattern matches at any depth (kernel files wrap whole functions in #ifdef blocks).

;; Function bodies: definitions, with their parameters' types for receiver inference.
(function_definition) @function

;; Declarations: prototypes and variables at file scope (ops tables among them), locals in bodies.
(declaration) @declaration

;; typedef struct sock_common { ... } name_t; and typedef int (*fn_t)(...);
(type_definition) @typedef

;; Struct and union bodies; anonymous members are flattened into their parent by the extractor.
(struct_specifier
  body: (field_declaration_list)) @struct
(union_specifier
  body: (field_declaration_list)) @union

;; enum { PACKET_AUXDATA = 8, ... }
(enumerator) @enumerator

;; Object-like macros only: function-like ones are preproc_function_def.
(preproc_def) @macro

;; Direct calls f(...), indirect calls x->ops->f(...), wrapped calls INDIRECT_CALL_INET(x->f, ...).
(call_expression) @call

;; Run-time bindings: sock->ops = &packet_ops_spkt; po->prot_hook.func = packet_rcv;
(assignment_expression
  left: (field_expression)) @assignment

;; Syntax errors, counted: tree-sitter's ERROR and MISSING nodes.
(ERROR) @error
(MISSING) @missing
