//! Stage 5, format: token streams (and source text emit could not lay out itself) to Rust
//! source text, through syn and prettyplease; text emit laid out passes as it is.

use proc_macro2::TokenStream;

use crate::emit::{Content, Depth, Join, Part, Piece};

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
pub(crate) fn format_segment(path: &str, join: Join, content: Content) -> Result<String, String> {
    let text = match content {
        Content::Text(text) => text,
        Content::Rust(tokens) => lay_out_tokens(path, tokens)?,
        Content::Pieces(pieces) => format_pieces(path, pieces)?,
    };
    // A Rust file's segments come spaced, so that joining them is only copying.
    Ok(if join == Join::Text { text } else { spaced(text) })
}

fn lay_out_tokens(path: &str, tokens: TokenStream) -> Result<String, String> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| format!("generated {path} does not parse: {e}"))?;
    Ok(unparse_items(parsed))
}

fn lay_out_source(path: &str, source: &str) -> Result<String, String> {
    let parsed = syn::parse_file(source).map_err(|e| format!("generated {path} does not parse: {e}"))?;
    Ok(unparse_items(parsed))
}

/// The pieces' text, one after another: prettyplease lays out each item whatever its
/// neighbours, so pieces formatted apart read as the whole formatted at once. Neighbouring
/// pieces of one kind are formatted together.
fn format_pieces(path: &str, pieces: Vec<Piece>) -> Result<String, String> {
    let mut out = String::new();
    let mut tokens = TokenStream::new();
    let mut source = String::new();
    // `None` last: what is gathered is formatted when a piece of another kind, or the end, comes.
    for piece in pieces.into_iter().map(Some).chain([None]) {
        if !matches!(piece, Some(Piece::Tokens(_))) && !tokens.is_empty() {
            out.push_str(&lay_out_tokens(path, std::mem::take(&mut tokens))?);
        }
        if !matches!(piece, Some(Piece::Source(_))) && !source.is_empty() {
            out.push_str(&lay_out_source(path, &std::mem::take(&mut source))?);
        }
        match piece {
            Some(Piece::Tokens(t)) => tokens.extend(t),
            Some(Piece::Source(text)) => source.push_str(&text),
            Some(Piece::LaidOut(text)) => {
                if cfg!(debug_assertions) {
                    check_layout(path, &text)?;
                }
                out.push_str(&text);
            }
            Some(Piece::Nested(parts)) => {
                let mut text = String::new();
                for part in parts {
                    match part {
                        Part::Text(t) => text.push_str(&t),
                        Part::Code { tokens, depth, indent } => lay_out_nested(path, tokens, depth, indent, &mut text)?,
                    }
                }
                if cfg!(debug_assertions) {
                    check_layout(path, &text)?;
                }
                out.push_str(&text);
            }
            None => {}
        }
    }
    Ok(out)
}

/// Nested code (see `emit::layout::Writer::nested`) laid out as it would be where it stands:
/// in blocks as deep as it is, each line then moved to its indent.
fn lay_out_nested(
    path: &str,
    tokens: TokenStream,
    depth: Depth,
    indent: usize,
    out: &mut String,
) -> Result<(), String> {
    let wrapped = match depth {
        Depth::ImplItems => quote::quote!(impl Nested { #tokens }),
        Depth::MethodBody => quote::quote!(impl Nested { fn nested() { #tokens } }),
    };
    let text = lay_out_tokens(path, wrapped)?;
    let levels = depth.levels();
    let lines: Vec<&str> = text.lines().collect();
    let inner = lines.get(levels..lines.len().saturating_sub(levels)).unwrap_or_default();
    let shift = indent.saturating_sub(4 * levels);
    for line in inner {
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', shift));
            out.push_str(line);
        }
        out.push('\n');
    }
    Ok(())
}

/// That text emitted as laid out is what prettyplease prints for it (see `emit::layout`):
/// debug builds, every test among them, check it.
fn check_layout(path: &str, text: &str) -> Result<(), String> {
    let again = lay_out_source(path, text)?;
    match text.lines().zip(again.lines()).find(|(a, b)| a != b) {
        None if text.len() == again.len() => Ok(()),
        found => {
            let (a, b) = found.unwrap_or(("(the end)", "(more lines)"));
            Err(format!("generated {path}: the emitted layout differs from prettyplease's:\n  emitted: {a}\n  prettyplease: {b}"))
        }
    }
}

/// prettyplease's text for `file`, where a macro that wraps items (`crate::runtime::object! {
/// pub struct ... }`) is printed as those items, indented: prettyplease prints a macro's body
/// as a run of tokens (`#[doc = "..."]`, `Foo < 'a >`), which would read badly.
fn unparse_items(mut file: syn::File) -> String {
    let mut bodies = Vec::new();
    for item in &mut file.items {
        let syn::Item::Macro(item) = item else { continue };
        if item.ident.is_some() || !matches!(item.mac.delimiter, syn::MacroDelimiter::Brace(_)) {
            continue;
        }
        let Ok(inner) = syn::parse2::<syn::File>(item.mac.tokens.clone()) else { continue };
        bodies.push(prettyplease::unparse(&inner));
        item.mac.tokens = proc_macro2::TokenStream::new();
    }
    let text = prettyplease::unparse(&file);
    if bodies.is_empty() {
        return text;
    }
    // Each emptied macro prints as one line `path! {}` in column 0, in the items' order; no
    // other top-level line ends so (a `macro_rules!` has a name before its braces, and string
    // literals never span lines in prettyplease's output).
    let mut bodies = bodies.into_iter();
    let mut out = String::with_capacity(text.len() + bodies.len() * 64);
    for line in text.lines() {
        match line.strip_suffix("! {}").filter(|_| !line.starts_with([' ', '/', '#'])) {
            Some(path) => {
                let body = bodies.next().unwrap_or_default();
                out.push_str(path);
                if body.is_empty() {
                    out.push_str("! {}\n");
                    continue;
                }
                out.push_str("! {\n");
                for body_line in body.lines() {
                    if !body_line.is_empty() {
                        out.push_str("    ");
                        out.push_str(body_line);
                    }
                    out.push('\n');
                }
                out.push_str("}\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Puts the formatted segments of a file together (see [`Join`]), under `header` (see
/// `emit::CrateOptions::header`) for Rust files. Rust segments come spaced (see [`spaced`]):
/// only where two meet is a blank line still to be decided.
pub(crate) fn assemble(path: String, join: Join, pieces: Vec<String>, header: &str) -> Result<OutputFile, String> {
    let chunks: Vec<&str> = match join {
        Join::Text => return Ok(OutputFile { path, text: pieces.concat() }),
        Join::Concat => pieces.iter().map(String::as_str).collect(),
        Join::SpliceImpl => splice_impl(&pieces).ok_or_else(|| format!("generated {path} does not splice"))?,
    };
    // Written once, header first: a big file is not copied again on the way.
    let size: usize = chunks.iter().map(|c| c.len() + 1).sum();
    let mut text = String::with_capacity(header.len() + 4 + size);
    text.push_str("// ");
    text.push_str(header);
    text.push_str("\n\n");
    let mut last: Option<&str> = None;
    for chunk in chunks {
        // A spaced segment may begin with the blank line it had after its own first block.
        let chunk = chunk.trim_start_matches('\n');
        let Some(first) = chunk.lines().next() else { continue };
        if last.is_some_and(|last| blank_between(Line::of(last), Line::of(first))) {
            text.push('\n');
        }
        text.push_str(chunk);
        last = chunk.lines().next_back();
    }
    Ok(OutputFile { path, text })
}

/// A segment's Rust text with blank lines between its items (see [`space_items`]), made where
/// the segment was formatted, so that joining a file is only copying.
fn spaced(text: String) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    space_items(&mut out, lines(&text));
    out
}

/// The first piece with its last block (an `impl`) left open, the bodies of the other pieces'
/// leading blocks, the block's end, then the rest of the other pieces, as parts to join.
/// prettyplease lays out an item the same whatever its neighbours, so this is the text of
/// formatting everything as one.
fn splice_impl(pieces: &[String]) -> Option<Vec<&str>> {
    let (head, rest) = pieces.split_first()?;
    if rest.is_empty() {
        return Some(vec![head]);
    }
    let mut parts = vec![head.strip_suffix("}\n")?];
    let mut after = Vec::with_capacity(rest.len());
    for piece in rest {
        // Only an item's own first and last lines start in column 0 inside it.
        let body = piece.find('\n')? + 1;
        let end = body + piece[body..].find("\n}\n")? + 1;
        parts.push(&piece[body..end]);
        after.push(&piece[end + 2..]);
    }
    parts.push("}\n");
    parts.extend(after);
    Some(parts)
}

/// Rust source for a syntax tree, laid out as sdkgen lays out the code it generates
/// (prettyplease, with blank lines between items): for tools and tests that show generated
/// items again after picking them apart.
pub fn unparse(file: syn::File) -> String {
    let code = unparse_items(file);
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    space_items(&mut out, lines(&code));
    out
}

/// The lines of `text`, as [`str::lines`] gives them (without `\n` or `\r\n`, no empty line
/// after the last `\n`), found by `memchr`: generated files have 80,000 lines.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).map(Some).chain([None]).filter_map(move |end| {
        let line = match end {
            Some(end) => {
                let line = &text[start..end];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None if start < text.len() => &text[start..],
            None => return None,
        };
        start = end.map_or(text.len(), |end| end + 1);
        Some(line)
    })
}

/// `lines` written to `out` with a blank line between items, as a person would: prettyplease
/// keeps none.
fn space_items<'c>(out: &mut String, lines: impl Iterator<Item = &'c str>) {
    let mut prev: Option<Line> = None;
    for text in lines {
        let line = Line::of(text);
        if prev.is_some_and(|prev| blank_between(prev, line)) {
            out.push('\n');
        }
        out.push_str(text);
        out.push('\n');
        prev = Some(line);
    }
}

/// A line's indent and what follows it, worked out once for the line's two comparisons.
#[derive(Clone, Copy)]
struct Line<'c> {
    indent: usize,
    body: &'c str,
}

impl<'c> Line<'c> {
    fn of(text: &'c str) -> Self {
        let spaces = text.bytes().take_while(|&b| b == b' ').count();
        // Spaces then anything but other whitespace, as generated lines are; else as `trim_start` says.
        let body = match text.as_bytes().get(spaces) {
            Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => &text[spaces..],
            None => "",
            Some(_) => text.trim_start(),
        };
        Line { indent: text.len() - body.len(), body }
    }
}

/// Whether a blank line goes between two neighbouring lines: before an item that follows an
/// item at its level, after the file's header and after the `use`s.
fn blank_between(prev: Line, line: Line) -> bool {
    const ITEM_STARTS: &[&str] =
        &["///", "//", "#[", "pub ", "pub(", "fn ", "impl", "struct ", "enum ", "const ", "type ", "mod ", "use "];
    let (body, prev_body) = (line.body, prev.body);
    if body.is_empty() || prev_body.is_empty() {
        return false;
    }
    let after_header = (prev_body.starts_with("//!") || prev_body.starts_with("#!["))
        && !body.starts_with("//!")
        && !body.starts_with("#![");
    let after_uses = prev_body.starts_with("use ") && !body.starts_with("use ");
    if after_header || after_uses {
        return true;
    }
    let after_item = line.indent == prev.indent
        && (prev_body == "}"
            || prev_body.ends_with(';') && !prev_body.starts_with("use ") && !prev_body.starts_with("//"));
    // A runtime macro that defines items (`crate::runtime::object! {`), not a call.
    after_item
        && (ITEM_STARTS.iter().any(|s| body.starts_with(s))
            || body.starts_with("crate::")
                && body.split_whitespace().next().is_some_and(|w| w.ends_with('!') || w.contains("!(")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_are_strs_lines() {
        for text in ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "a\r\nb\r\n", "x\r", "\n\n"] {
            assert_eq!(super::lines(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    use super::*;

    #[test]
    fn nested_code_is_laid_out_as_where_it_stands() {
        use crate::emit::Writer;
        let method = quote::quote! {
            /// Long enough to break.
            pub fn stream(self) -> impl crate::Stream<Item = Result<models::SomeLongItemName, Error<SomeLongError>>> + 'a {
                crate::runtime::paginate(None, move |page_cursor: Option<String>| async move { Ok(page_cursor) })
            }
        };
        let body = quote::quote!(match self.request(Method::GET, "op", "/path").send().await? {
            r => r.json_at(200),
        });
        let mut w = Writer::new();
        w.open_macro("crate::runtime::call");
        w.open(&["impl<'a> B<'a> {"]);
        w.open(&["pub async fn send(self) -> Result<X, Error<E>> {"]);
        w.nested(body.clone(), Depth::MethodBody);
        w.close(&["}"]);
        w.nested(method.clone(), Depth::ImplItems);
        w.close(&["}"]);
        w.close_macro();
        let piece = w.finish();
        assert!(matches!(piece, Piece::Nested(_)));
        let whole = format!(
            "crate::runtime::call! {{ impl<'a> B<'a> {{ pub async fn send(self) -> Result<X, Error<E>> {{ {body} }} {method} }} }}"
        );
        assert_eq!(format_pieces("x.rs", vec![piece]), lay_out_source("x.rs", &whole));
        // Nested code anywhere else is left to the formatter with all around it.
        let mut w = Writer::new();
        w.nested(method, Depth::ImplItems);
        assert!(matches!(w.finish(), Piece::Source(_)));
    }

    #[test]
    fn splicing_spaced_pieces_gives_the_text_of_formatting_and_spacing_the_whole() {
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
        let pieces: Vec<String> = [head, first, second].iter().map(|f| spaced(prettyplease::unparse(f))).collect();
        // The pieces do have blank lines to be reconsidered where they are cut.
        assert!(pieces[1].contains("}\n\nenum E1"));
        let joined = assemble("c.rs".into(), Join::SpliceImpl, pieces, "h").expect("splices");
        assert_eq!(joined.text, format!("// h\n\n{}", spaced(prettyplease::unparse(&whole))));
        let unspliceable = vec!["struct C;\n".into(), "impl C {\n}\n".into()];
        assert!(assemble("c.rs".into(), Join::SpliceImpl, unspliceable, "h").is_err(), "no block to continue");
    }

    #[test]
    fn laid_out_pieces_are_checked_against_prettyplease() {
        let pieces = |laid_out: &str| {
            vec![
                Piece::Tokens(quote::quote!(
                    struct A;
                )),
                Piece::Source("fn   b ( ) { }".into()),
                Piece::LaidOut(laid_out.into()),
                Piece::Tokens(quote::quote!(
                    struct D;
                )),
            ]
        };
        assert_eq!(
            format_pieces("x.rs", pieces("/// C.\nstruct C;\n")),
            Ok("struct A;\nfn b() {}\n/// C.\nstruct C;\nstruct D;\n".to_string())
        );
        let wrong = format_pieces("x.rs", pieces("struct  C;\n")).unwrap_err();
        assert!(wrong.contains("emitted: struct  C;") && wrong.contains("prettyplease: struct C;"), "{wrong}");
    }

    #[test]
    fn macros_that_wrap_items_print_as_the_items() {
        let file: syn::File = syn::parse_quote! {
            /// Before.
            #[cfg(feature = "a")]
            crate::runtime::object! {
                /// A thing.
                #[derive(Debug)]
                pub struct Thing<'a> {
                    /// Its name.
                    #[json("name", required)]
                    pub name: &'a str,
                }
            }
            crate::runtime::string_enum!(Kind, Unknown);
            empty! {}
            not_items! { a + }
            fn after() {}
        };
        let expected = "/// Before.\n#[cfg(feature = \"a\")]\ncrate::runtime::object! {\n    /// A thing.\n    \
                        #[derive(Debug)]\n    pub struct Thing<'a> {\n        /// Its name.\n        \
                        #[json(\"name\", required)]\n        pub name: &'a str,\n    }\n}\n\
                        crate::runtime::string_enum!(Kind, Unknown);\nempty! {}\nnot_items! {\n    a +\n}\nfn after() {}\n";
        assert_eq!(unparse_items(file), expected);
    }
}
