//! Expressions as the layout writer prints them: a call whose arguments hold a struct literal
//! or an array (a request chain's `.param(ParamAt { .. }, self.expand)`, a form's
//! `&[ParamAt { .. }]`), a constructor's `Self { .. }`, broken over lines as prettyplease breaks
//! them instead of being left to the formatter. Read from the tokens a chain is made of; what
//! it does not know (closures, blocks, operators) it refuses.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::layout::Writer;

/// prettyplease's widest struct literal on one line (`Self { id: id.into() }`, measured to its
/// closing brace, without it); a wider one has a line per field.
const STRUCT_LITERAL_WIDTH: usize = 34;

/// An expression, as far as its layout goes.
#[derive(Debug, PartialEq)]
pub enum Expr {
    /// Printed on one line, whatever its width.
    Flat(String),
    /// `head(args)`: a method call (`.param`) or a function's.
    Call { head: String, args: Vec<Expr> },
    /// `path { field: value, .. }`.
    Struct { path: String, fields: Vec<(String, Expr)> },
    /// `&[items]`, or `[items]` (`prefix` empty).
    Array { prefix: String, items: Vec<Expr> },
}

impl Expr {
    /// The expression of `tokens`, or `None` where the writer does not know its layout.
    pub fn of(tokens: &TokenStream) -> Option<Expr> {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        expr(&trees)
    }

    /// Its text on one line.
    pub fn flat(&self) -> String {
        match self {
            Expr::Flat(text) => text.clone(),
            Expr::Call { head, args } => format!("{head}({})", joined(args)),
            Expr::Struct { path, fields } if fields.is_empty() => format!("{path} {{}}"),
            Expr::Struct { path, fields } => {
                let fields: Vec<String> =
                    fields.iter().map(|(name, value)| format!("{name}: {}", value.flat())).collect();
                format!("{path} {{ {} }}", fields.join(", "))
            }
            Expr::Array { prefix, items } => format!("{prefix}[{}]", joined(items)),
        }
    }

    /// Whether prettyplease prints it on one line when the line has room: a struct literal
    /// wider than its limit breaks, and so does what holds one.
    fn may_be_flat(&self) -> bool {
        match self {
            Expr::Flat(_) => true,
            Expr::Call { args, .. } => args.iter().all(Expr::may_be_flat),
            Expr::Struct { fields, .. } => {
                fields.iter().all(|(_, v)| v.may_be_flat()) && self.flat().len() - 1 <= STRUCT_LITERAL_WIDTH
            }
            Expr::Array { items, .. } => items.iter().all(Expr::may_be_flat),
        }
    }

    /// Writes `lead`, the expression and `trail`: on one line when prettyplease would, else
    /// broken, each argument, field or element on a line of its own, four columns in.
    pub fn write(&self, w: &mut Writer, lead: &str, trail: &str) {
        let flat = self.flat();
        if self.may_be_flat() && w.fits(lead.len() + flat.len() + trail.len()) {
            return w.line(&[lead, &flat, trail]);
        }
        match self {
            Expr::Flat(text) => w.line(&[lead, text, trail]),
            Expr::Call { head, args } => {
                w.open(&[lead, head, "("]);
                args.iter().for_each(|a| a.write(w, "", ","));
                w.close(&[")", trail]);
            }
            Expr::Struct { path, fields } => {
                w.open(&[lead, path, " {"]);
                fields.iter().for_each(|(name, value)| value.write(w, &format!("{name}: "), ","));
                w.close(&["}", trail]);
            }
            Expr::Array { prefix, items } => {
                w.open(&[lead, prefix, "["]);
                items.iter().for_each(|item| item.write(w, "", ","));
                w.close(&["]", trail]);
            }
        }
    }
}

/// The method chain `receiver(args)calls` as prettyplease lays it out: on one line when it
/// fits; else the receiver's call on the first line (its arguments a line each, eight columns
/// in, when it is too wide) and each further call on a line of its own, four columns in. The
/// receiver's arguments are atoms (a path, a string literal), each printed whole.
pub fn chain(w: &mut Writer, receiver: &str, args: &[String], calls: &[Expr]) {
    let first = format!("{receiver}({})", args.join(", "));
    let rest: String = calls.iter().map(Expr::flat).collect();
    if calls.iter().all(Expr::may_be_flat) && w.fits(first.len() + rest.len()) {
        return w.line(&[&first, &rest]);
    }
    if w.fits(first.len()) {
        w.line(&[&first]);
    } else {
        w.line(&[receiver, "("]);
        w.indent();
        w.indent();
        for arg in args {
            w.unbreakable(&[arg, ","]);
        }
        w.dedent();
        w.line(&[")"]);
        w.dedent();
    }
    w.indent();
    for call in calls {
        call.write(w, "", "");
    }
    w.dedent();
}

/// The text of `tokens` on one line as prettyplease prints a short expression of paths,
/// literals, calls, method calls, references, `?` and `.await`; `None` for anything else.
fn flat_expr(tokens: &TokenStream) -> Option<String> {
    let mut out = String::new();
    push_flat(&mut out, tokens.clone())?;
    Some(out)
}

fn push_flat(out: &mut String, tokens: TokenStream) -> Option<()> {
    use proc_macro2::Spacing;
    // After a word (a name, a literal, a closing bracket) another word needs a space, and `&`
    // would be binary.
    let mut after_word = false;
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(name) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&name.to_string());
                after_word = true;
            }
            TokenTree::Literal(literal) if !after_word => {
                out.push_str(&literal.to_string());
                after_word = true;
            }
            TokenTree::Punct(p) => {
                match p.as_char() {
                    '.' => out.push('.'),
                    ',' => out.push_str(", "),
                    '?' if after_word => out.push('?'),
                    '&' if !after_word => out.push('&'),
                    ':' if p.spacing() == Spacing::Joint
                        && matches!(tokens.peek(), Some(TokenTree::Punct(q)) if q.as_char() == ':') =>
                    {
                        tokens.next();
                        out.push_str("::");
                    }
                    _ => return None,
                }
                after_word = p.as_char() == '?';
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                    Delimiter::Brace => return None,
                };
                out.push_str(open);
                push_flat(out, group.stream())?;
                out.push_str(close);
                after_word = true;
            }
            TokenTree::Literal(_) => return None,
        }
    }
    Some(())
}

fn joined(items: &[Expr]) -> String {
    items.iter().map(Expr::flat).collect::<Vec<_>>().join(", ")
}

/// An expression's tokens: a call (`.name(..)`, `path(..)`), a struct literal, an array or a
/// reference to one, else what `flat_expr` prints.
fn expr(trees: &[TokenTree]) -> Option<Expr> {
    match trees {
        [] => None,
        [rest @ .., TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis && !rest.is_empty() => {
            let head = flat_expr(&rest.iter().cloned().collect())?;
            // A path or a method's name before the arguments, nothing that itself calls.
            if head.contains(['(', '[', '&', '?']) {
                return Some(Expr::Flat(flat_expr(&trees.iter().cloned().collect())?));
            }
            Some(Expr::Call { head, args: list(g.stream())? })
        }
        [rest @ .., TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace && !rest.is_empty() => {
            let path = flat_expr(&rest.iter().cloned().collect())?;
            if !path.chars().all(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                return None;
            }
            let fields = split(g.stream())
                .into_iter()
                .map(|field| match field.as_slice() {
                    [TokenTree::Ident(name), TokenTree::Punct(colon), value @ ..]
                        if colon.as_char() == ':' && !value.is_empty() =>
                    {
                        Some((name.to_string(), expr(value)?))
                    }
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Expr::Struct { path, fields })
        }
        [TokenTree::Punct(amp), TokenTree::Group(g)] if amp.as_char() == '&' && g.delimiter() == Delimiter::Bracket => {
            Some(Expr::Array { prefix: "&".into(), items: list(g.stream())? })
        }
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
            Some(Expr::Array { prefix: String::new(), items: list(g.stream())? })
        }
        _ => Some(Expr::Flat(flat_expr(&trees.iter().cloned().collect())?)),
    }
}

/// The expressions of a comma-separated list.
fn list(tokens: TokenStream) -> Option<Vec<Expr>> {
    split(tokens).iter().map(|item| expr(item)).collect()
}

/// `tokens` split at their top-level commas (a trailing one ends the last item).
fn split(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = vec![Vec::new()];
    for tree in tokens {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => items.push(Vec::new()),
            _ => items.last_mut().expect("one item at least").push(tree),
        }
    }
    items.retain(|item| !item.is_empty());
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::layout::Piece;
    use quote::quote;

    fn written(e: &Expr) -> String {
        let mut w = Writer::new();
        e.write(&mut w, "", "");
        match w.finish() {
            Piece::LaidOut(text) => text,
            _ => panic!("a certain layout"),
        }
    }

    #[test]
    fn calls_holding_wide_struct_literals_break_at_every_level() {
        let e = Expr::of(&quote!(.param(crate::At { place: crate::Place::Query, name: "expand" }, self.expand)))
            .expect("known shapes");
        assert_eq!(
            written(&e),
            ".param(\n    crate::At {\n        place: crate::Place::Query,\n        name: \"expand\",\n    },\n    self.expand,\n)\n"
        );
        let e = Expr::of(&quote!(.form_body("f", self.body, &[]))).expect("known shapes");
        assert_eq!(written(&e), ".form_body(\"f\", self.body, &[])\n");
        let e = Expr::of(&quote!(.at(At { a: 1 }))).expect("known shapes");
        assert_eq!(written(&e), ".at(At { a: 1 })\n", "a narrow literal stays whole");
        let e = Expr::of(&quote!(.at(At {}))).expect("known shapes");
        assert_eq!(written(&e), ".at(At {})\n");
    }

    #[test]
    fn chains_break_as_prettyplease_breaks_them() {
        let chain_of = |args: &[&str], calls: &[&str]| {
            let mut w = Writer::new();
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            let calls: Vec<Expr> = calls.iter().map(|c| Expr::Flat(c.to_string())).collect();
            chain(&mut w, "self.request", &args, &calls);
            match w.finish() {
                Piece::LaidOut(text) => text,
                _ => panic!("a certain layout"),
            }
        };
        assert_eq!(chain_of(&["a"], &[".send()", ".await?"]), "self.request(a).send().await?\n");
        let long = "x".repeat(70);
        assert_eq!(
            chain_of(&[&long], &[".send()", ".await?"]),
            format!("self.request({long})\n    .send()\n    .await?\n")
        );
        assert_eq!(
            chain_of(&[&long, &long], &[".send()"]),
            format!("self.request(\n        {long},\n        {long},\n    )\n    .send()\n")
        );
    }

    #[test]
    fn short_expressions_print_flat_and_others_are_refused() {
        use quote::quote;
        let flat = |t: TokenStream| flat_expr(&t);
        assert_eq!(
            flat(quote!(.path_param("id", &self.id.to_string()))).unwrap(),
            ".path_param(\"id\", &self.id.to_string())"
        );
        assert_eq!(flat(quote!(.security(&[&["a"], &["b"]]))).unwrap(), ".security(&[&[\"a\"], &[\"b\"]])");
        assert_eq!(flat(quote!(self.send().await?.json_at(200))).unwrap(), "self.send().await?.json_at(200)");
        assert_eq!(flat(quote!(crate::runtime::Style::Form)).unwrap(), "crate::runtime::Style::Form");
        assert_eq!(flat(quote!(.param(At { name: "x" }, v))), None, "a struct literal");
        assert_eq!(flat(quote!(a & b)), None, "a binary operator");
        assert_eq!(flat(quote!(|x| x)), None, "a closure");
    }

    #[test]
    fn unknown_shapes_are_refused() {
        assert_eq!(Expr::of(&quote!(.map(|x| x + 1))), None);
        assert_eq!(Expr::of(&quote!(.f({ a }))), None);
    }
}
