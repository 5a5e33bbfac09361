//! Rust source printed straight to text in the layout prettyplease gives it, for the items a
//! crate has by the thousand (model structs and enums, the client's methods, calls and their
//! request chains): tokens, syn and prettyplease were most of the time of emitting and
//! formatting, and these items need none of them.
//!
//! A [`Writer`] knows when its layout is certain: every line it writes (doc comments aside,
//! which prettyplease never breaks) is within prettyplease's margin, or broken as prettyplease
//! breaks it. When a line is too wide and the writer does not know how prettyplease would break
//! it, the text is handed to the formatter to parse and lay out ([`Piece::Source`]), so the
//! output is prettyplease's either way. Code it has no layout for (a paging `stream`, a send
//! that matches statuses) can stay nested in laid-out text: the formatter lays out only that
//! code, as it would where it stands ([`Writer::nested`]). Debug builds check that each
//! certain layout is what prettyplease prints (`format::format_segment`).

use proc_macro2::TokenStream;

use super::syntax::string_literal;

/// prettyplease's line width (`MARGIN` in prettyplease 0.2): a signature, a call, a field's
/// type, an attribute or a list stays on one line when the line, all of it, is at most this
/// wide, and breaks when it is wider.
const MARGIN: usize = 89;

/// One piece of a Rust file as emitted; a file's pieces are formatted apart and joined.
pub enum Piece {
    /// Tokens, for the formatter to parse and lay out.
    Tokens(TokenStream),
    /// Source text whose layout is not certain: for the formatter to parse and lay out.
    Source(String),
    /// Source text already in prettyplease's layout.
    LaidOut(String),
    /// Source text in prettyplease's layout around code the formatter lays out where it
    /// stands (see [`Writer::nested`]).
    Nested(Vec<Part>),
}

/// A part of a [`Piece::Nested`].
pub enum Part {
    /// Text in prettyplease's layout.
    Text(String),
    /// Code for the formatter to lay out as it would at `indent`, `depth` inside the unit it
    /// lays out: an item macro's body or a file.
    Code { tokens: TokenStream, depth: Depth, indent: usize },
}

/// Where nested code stands in the unit prettyplease lays out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Items of an `impl` block at the top of the unit: methods.
    ImplItems,
    /// The body of a method of such a block.
    MethodBody,
}

impl Depth {
    /// How many blocks in.
    pub fn levels(self) -> usize {
        match self {
            Depth::ImplItems => 1,
            Depth::MethodBody => 2,
        }
    }
}

/// Writes lines of Rust source, indented, and notes whether prettyplease would keep each whole.
pub struct Writer {
    text: String,
    /// What came before `text`, where there is nested code.
    parts: Vec<Part>,
    indent: usize,
    /// The indent of the unit prettyplease lays out: a macro's body is laid out on its own
    /// and then indented (see `format::unparse_items`), so its lines may be that much longer.
    unit: usize,
    certain: bool,
}

impl Writer {
    pub fn new() -> Self {
        Writer { text: String::with_capacity(4096), parts: Vec::new(), indent: 0, unit: 0, certain: true }
    }

    /// The text written so far, as a piece.
    pub fn finish(mut self) -> Piece {
        if self.parts.is_empty() {
            return if self.certain { Piece::LaidOut(self.text) } else { Piece::Source(self.text) };
        }
        self.parts.push(Part::Text(self.text));
        if self.certain {
            return Piece::Nested(self.parts);
        }
        let mut source = String::new();
        for part in self.parts {
            match part {
                Part::Text(text) => source.push_str(&text),
                Part::Code { tokens, .. } => {
                    source.push_str(&tokens.to_string());
                    source.push('\n');
                }
            }
        }
        Piece::Source(source)
    }

    /// Whether a line of `width` bytes, written at the current indent, fits.
    pub fn fits(&self, width: usize) -> bool {
        self.indent - self.unit + width <= MARGIN
    }

    /// A line made of `parts`, at the current indent.
    pub fn line(&mut self, parts: &[&str]) {
        let width: usize = parts.iter().map(|p| p.len()).sum();
        if !self.fits(width) {
            self.certain = false;
        }
        self.push_indent();
        for p in parts {
            self.text.push_str(p);
        }
        self.text.push('\n');
    }

    /// A line prettyplease cannot break (a type alias of two names, a string literal alone on
    /// its line), which it prints whole however wide.
    pub fn unbreakable(&mut self, parts: &[&str]) {
        let certain = self.certain;
        self.line(parts);
        self.certain = certain;
    }

    /// A line that opens a block: what follows is indented one level more.
    pub fn open(&mut self, parts: &[&str]) {
        self.line(parts);
        self.indent += 4;
    }

    /// A line that closes a block, one level less indented.
    pub fn close(&mut self, parts: &[&str]) {
        self.indent -= 4;
        self.line(parts);
    }

    /// Indents what follows one level more, after a line that opened a block.
    pub fn indent(&mut self) {
        self.indent += 4;
    }

    /// Indents what follows one level less.
    pub fn dedent(&mut self) {
        self.indent -= 4;
    }

    /// Code whose layout the writer does not know, as its tokens print: the formatter lays it
    /// out.
    pub fn raw(&mut self, tokens: TokenStream) {
        self.certain = false;
        self.line(&[&tokens.to_string()]);
    }

    /// Code whose layout the writer does not know, standing `depth` inside the unit: the
    /// formatter lays it out on its own there (prettyplease lays out a method, or a method's
    /// body, the same whatever surrounds it), so what is around it stays laid out. Elsewhere
    /// it is [`Writer::raw`].
    pub fn nested(&mut self, tokens: TokenStream, depth: Depth) {
        if self.indent != self.unit + 4 * depth.levels() {
            return self.raw(tokens);
        }
        self.parts.push(Part::Text(std::mem::take(&mut self.text)));
        self.parts.push(Part::Code { tokens, depth, indent: self.indent });
    }

    /// `head`, the items joined by `, ` and `tail` on one line when that fits; else `head`, a
    /// line for each item (with its comma), and `tail` (as prettyplease breaks a list of
    /// arguments or elements). A head that is itself too wide is left to the formatter
    /// (prettyplease then keeps some lists whole).
    pub fn list(&mut self, head: &str, items: &[String], tail: &str) {
        let flat = items.join(", ");
        if self.fits(head.len() + flat.len() + tail.len()) {
            self.line(&[head, &flat, tail]);
            return;
        }
        if !self.fits(head.len()) {
            self.certain = false;
        }
        self.open(&[head]);
        for item in items {
            self.line(&[item, ","]);
        }
        self.close(&[tail]);
    }

    /// `#[cfg(feature = ..)]` compiling what follows when any of `features` is on (nothing for
    /// what is always compiled), broken as prettyplease breaks a long one: `any(` on a line of
    /// its own, then a feature a line when they do not fit on it.
    pub fn cfg(&mut self, features: Option<&[String]>) {
        let Some(features) = features else { return };
        let each: Vec<String> = features.iter().map(|f| format!("feature = {}", string_literal(f))).collect();
        if let [one] = each.as_slice() {
            return self.line(&["#[cfg(", one, ")]"]);
        }
        let flat = each.join(", ");
        if self.fits("#[cfg(any(".len() + flat.len() + "))]".len()) {
            return self.line(&["#[cfg(any(", &flat, "))]"]);
        }
        self.open(&["#[cfg("]);
        if self.fits("any(".len() + flat.len() + ")".len()) {
            self.line(&["any(", &flat, ")"]);
        } else {
            self.open(&["any("]);
            for (i, feature) in each.iter().enumerate() {
                self.line(&[feature, if i + 1 < each.len() { "," } else { "" }]);
            }
            self.close(&[")"]);
        }
        self.close(&[")]"]);
    }

    /// Opens the body of an item macro (`crate::runtime::object! {`), laid out on its own.
    pub fn open_macro(&mut self, path: &str) {
        self.open(&[path, "! {"]);
        self.unit = self.indent;
    }

    pub fn close_macro(&mut self) {
        self.unit = 0;
        self.close(&["}"]);
    }

    /// Doc comments for the lines of `lines` (each as a `#[doc]` attribute holds it, with its
    /// leading space), as prettyplease prints them.
    pub fn doc_lines<S: AsRef<str>>(&mut self, lines: &[S]) {
        for line in lines {
            self.doc(line.as_ref());
        }
    }

    /// One `#[doc]` attribute holding `value`: `///` and the value, as prettyplease prints a
    /// one-line doc that does not begin with `/` (which would make it `////`, a plain
    /// comment); others as the attribute, for the formatter to print.
    pub fn doc(&mut self, value: &str) {
        self.push_indent();
        if value.contains(['\n', '\r']) || value.starts_with('/') {
            self.certain = false;
            self.text.push_str("#[doc = ");
            self.text.push_str(&string_literal(value));
            self.text.push_str("]\n");
            return;
        }
        self.text.push_str("///");
        self.text.push_str(value.trim_end_matches(' '));
        self.text.push('\n');
    }

    fn push_indent(&mut self) {
        for _ in 0..self.indent {
            self.text.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(piece: Piece) -> (bool, String) {
        match piece {
            Piece::LaidOut(t) => (true, t),
            Piece::Source(t) => (false, t),
            Piece::Tokens(_) | Piece::Nested(_) => unreachable!("a writer writes text"),
        }
    }

    #[test]
    fn docs_that_prettyplease_would_not_print_as_lines_are_left_to_it() {
        let mut w = Writer::new();
        w.doc(" One line.  ");
        w.doc("");
        assert_eq!(text(w.finish()), (true, "/// One line.\n///\n".to_string()));
        for odd in ["/ starts with a slash", " two\nlines", " a\rreturn"] {
            let mut w = Writer::new();
            w.doc(odd);
            let (certain, source) = text(w.finish());
            assert!(!certain, "{odd:?}");
            assert_eq!(source, format!("#[doc = {}]\n", string_literal(odd)));
        }
    }

    #[test]
    fn lines_past_the_margin_are_left_to_the_formatter() {
        let laid_out = |line: &str, in_macro: bool| {
            let mut w = Writer::new();
            if in_macro {
                w.open_macro("m");
            }
            w.line(&[line]);
            matches!(w.finish(), Piece::LaidOut(_))
        };
        let long = "x".repeat(MARGIN + 1);
        assert!(laid_out(&long[..MARGIN], false));
        assert!(!laid_out(&long, false));
        // A macro's body is laid out on its own, four columns in.
        assert!(laid_out(&long[..MARGIN], true));
        assert!(!laid_out(&long, true));
        // What prettyplease cannot break it prints whole, however wide.
        let mut w = Writer::new();
        w.unbreakable(&[&long]);
        assert!(matches!(w.finish(), Piece::LaidOut(_)));
    }

    #[test]
    fn lists_break_when_too_long() {
        let items: Vec<String> = (0..3).map(|i| format!("item{i}")).collect();
        let mut w = Writer::new();
        w.list("f(", &items, ");");
        assert_eq!(text(w.finish()), (true, "f(item0, item1, item2);\n".to_string()));
        let items: Vec<String> = (0..30).map(|i| format!("item{i}")).collect();
        let mut w = Writer::new();
        w.list("f(", &items, ");");
        let (certain, source) = text(w.finish());
        assert!(certain);
        assert!(
            source.starts_with("f(\n    item0,\n    item1,\n") && source.ends_with("    item29,\n);\n"),
            "{source}"
        );
        // A head wider than the margin: prettyplease may keep the list whole, so the formatter decides.
        let mut w = Writer::new();
        w.list(&format!("{}(", "f".repeat(MARGIN)), &items, ");");
        assert!(matches!(w.finish(), Piece::Source(_)));
    }

    #[test]
    fn long_cfg_attributes_break_as_prettyplease_breaks_them() {
        let cfg = |features: &[String]| {
            let mut w = Writer::new();
            w.cfg(Some(features));
            text(w.finish())
        };
        let names =
            |n: usize, len: usize| -> Vec<String> { (0..n).map(|i| format!("{i}{}", "f".repeat(len))).collect() };
        assert_eq!(cfg(&names(1, 3)), (true, "#[cfg(feature = \"0fff\")]\n".into()));
        assert_eq!(cfg(&names(2, 3)), (true, "#[cfg(any(feature = \"0fff\", feature = \"1fff\"))]\n".into()));
        let (certain, text) = cfg(&names(3, 12));
        assert!(certain);
        assert!(text.starts_with("#[cfg(\n    any(feature = \"0ffff"), "{text}");
        let (certain, text) = cfg(&names(6, 16));
        assert!(certain);
        assert!(
            text.starts_with("#[cfg(\n    any(\n        feature = \"0ffff") && text.ends_with("\"\n    )\n)]\n"),
            "{text}"
        );
    }
}
