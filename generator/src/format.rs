//! Stage 5, format: token streams to Rust source text, through syn and prettyplease.

use crate::emit::{Content, Join};

/// A file of the generated crate as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the crate root, with `/` separators.
    pub path: String,
    /// Its whole text.
    pub text: String,
}

/// Formats one segment of the file at `path`: Rust through syn and prettyplease, text as it is.
/// Generated code that does not parse is a bug in the generator, so it is reported with the
/// file's path rather than written.
pub(crate) fn format_segment(path: &str, content: Content) -> Result<String, String> {
    match content {
        Content::Text(text) => Ok(text),
        Content::Rust(tokens) => {
            let parsed: syn::File = syn::parse2(tokens).map_err(|e| format!("generated {path} does not parse: {e}"))?;
            Ok(prettyplease::unparse(&parsed))
        }
    }
}

/// Puts the formatted segments of a file together (see [`Join`]), under `header` (see
/// `emit::CrateOptions::header`) for Rust files.
pub(crate) fn assemble(path: String, join: Join, pieces: Vec<String>, header: &str) -> Result<OutputFile, String> {
    let code = match join {
        Join::Text => return Ok(OutputFile { path, text: pieces.concat() }),
        Join::Concat => pieces.concat(),
        Join::SpliceImpl => splice_impl(pieces).ok_or_else(|| format!("generated {path} does not splice"))?,
    };
    Ok(OutputFile { path, text: format!("// {header}\n\n{}", space_items(&code)) })
}

/// The first piece with its last block (an `impl`) left open, the bodies of the other pieces'
/// leading blocks, the block's end, then the rest of the other pieces. prettyplease lays out an
/// item the same whatever its neighbours, so this is the text of formatting everything as one.
fn splice_impl(pieces: Vec<String>) -> Option<String> {
    let mut pieces = pieces.into_iter();
    let head = pieces.next()?;
    let rest: Vec<String> = pieces.collect();
    if rest.is_empty() {
        return Some(head);
    }
    let mut code = head.strip_suffix("}\n")?.to_string();
    let mut after = String::new();
    for piece in &rest {
        // Only an item's own first and last lines start in column 0 inside it.
        let body = piece.find('\n')? + 1;
        let end = body + piece[body..].find("\n}\n")? + 1;
        code.push_str(&piece[body..end]);
        after.push_str(&piece[end + 2..]);
    }
    code.push_str("}\n");
    code.push_str(&after);
    Some(code)
}

/// Rust source for a syntax tree, laid out as sdkgen lays out the code it generates
/// (prettyplease, with blank lines between items): for tools and tests that show generated
/// items again after picking them apart.
pub fn unparse(file: &syn::File) -> String {
    space_items(&prettyplease::unparse(file))
}

/// Puts a blank line between items, as a person would: prettyplease keeps none.
fn space_items(code: &str) -> String {
    const ITEM_STARTS: &[&str] =
        &["///", "//", "#[", "pub ", "pub(", "fn ", "impl", "struct ", "enum ", "const ", "type ", "mod ", "use "];
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev: Option<&str> = None;
    for line in code.lines() {
        if let Some(prev) = prev {
            let indent = line.len() - line.trim_start().len();
            let prev_indent = prev.len() - prev.trim_start().len();
            let body = line.trim_start();
            let prev_body = prev.trim_start();
            let starts_item = ITEM_STARTS.iter().any(|s| body.starts_with(s));
            let after_item = (prev_body == "}"
                || prev_body.ends_with(';') && !prev_body.starts_with("use ") && !prev_body.starts_with("//"))
                && indent == prev_indent;
            let after_header = (prev_body.starts_with("//!") || prev_body.starts_with("#!["))
                && !body.starts_with("//!")
                && !body.starts_with("#![");
            let after_uses = prev_body.starts_with("use ") && !body.starts_with("use ");
            if !body.is_empty() && !prev_body.is_empty() && (starts_item && after_item || after_header || after_uses) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_formatted_pieces_gives_the_text_of_formatting_the_whole() {
        let whole: syn::File = syn::parse_quote! {
            struct C;
            impl C {
                fn a() {}
                /// Two.
                fn b() -> u8 { if true { 1 } else { 2 } }
                fn c() {}
            }
            enum E1 { X }
            enum E2 {}
        };
        let head: syn::File = syn::parse_quote! { struct C; impl C { fn a() {} } };
        let first: syn::File = syn::parse_quote! {
            impl C {
                /// Two.
                fn b() -> u8 { if true { 1 } else { 2 } }
            }
            enum E1 { X }
        };
        let second: syn::File = syn::parse_quote! { impl C { fn c() {} } enum E2 {} };
        let pieces = [head, first, second].iter().map(prettyplease::unparse).collect();
        assert_eq!(splice_impl(pieces), Some(prettyplease::unparse(&whole)));
        assert_eq!(splice_impl(vec!["struct C;\n".into(), "impl C {\n}\n".into()]), None, "no block to continue");
    }
}
