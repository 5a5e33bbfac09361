//! Expressions as the layout writer prints them: a call whose arguments hold a struct literal
//! or an array (a request chain's `.param(ParamAt { .. }, self.expand)`, a form's
//! `&[ParamAt { .. }]`), a constructor's `Self { .. }`, broken over lines as prettyplease breaks
//! them instead of being left to the formatter. The emitter builds them as it would have
//! written their tokens; the debug build's layout check holds them to prettyplease's layout.

use super::layout::Writer;

/// prettyplease's widest struct literal on one line (`Self { id: id.into() }`, measured to its
/// closing brace, without it); a wider one has a line per field.
const STRUCT_LITERAL_WIDTH: usize = 34;

/// An expression, as far as its layout goes.
#[derive(Clone, Debug, PartialEq)]
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
    /// `head(args)`.
    pub fn call(head: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Call { head: head.into(), args }
    }

    /// Its text on one line.
    pub fn flat(&self) -> String {
        let mut out = String::with_capacity(self.flat_len());
        self.push_flat(&mut out);
        out
    }

    fn push_flat(&self, out: &mut String) {
        match self {
            Expr::Flat(text) => out.push_str(text),
            Expr::Call { head, args } => {
                out.push_str(head);
                out.push('(');
                push_joined(out, args);
                out.push(')');
            }
            Expr::Struct { path, fields } if fields.is_empty() => {
                out.push_str(path);
                out.push_str(" {}");
            }
            Expr::Struct { path, fields } => {
                out.push_str(path);
                out.push_str(" { ");
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push_str(": ");
                    value.push_flat(out);
                }
                out.push_str(" }");
            }
            Expr::Array { prefix, items } => {
                out.push_str(prefix);
                out.push('[');
                push_joined(out, items);
                out.push(']');
            }
        }
    }

    /// The length of [`flat`](Self::flat)'s text, found without making it.
    fn flat_len(&self) -> usize {
        match self {
            Expr::Flat(text) => text.len(),
            Expr::Call { head, args } => head.len() + 2 + joined_len(args.iter()),
            Expr::Struct { path, fields } if fields.is_empty() => path.len() + 3,
            Expr::Struct { path, fields } => {
                let fields = fields.iter().map(|(name, value)| name.len() + 2 + value.flat_len());
                path.len() + 5 + fields.sum::<usize>() + 2 * (self.count() - 1)
            }
            Expr::Array { prefix, items } => prefix.len() + 2 + joined_len(items.iter()),
        }
    }

    /// How many arguments, fields or items it has (none: a flat expression).
    fn count(&self) -> usize {
        match self {
            Expr::Flat(_) => 0,
            Expr::Call { args, .. } => args.len(),
            Expr::Struct { fields, .. } => fields.len(),
            Expr::Array { items, .. } => items.len(),
        }
    }

    /// Whether prettyplease prints it on one line when the line has room: a struct literal
    /// wider than its limit breaks, and so does what holds one.
    fn may_be_flat(&self) -> bool {
        match self {
            Expr::Flat(_) => true,
            Expr::Call { args, .. } => args.iter().all(Expr::may_be_flat),
            Expr::Struct { fields, .. } => {
                fields.iter().all(|(_, v)| v.may_be_flat()) && self.flat_len() - 1 <= STRUCT_LITERAL_WIDTH
            }
            Expr::Array { items, .. } => items.iter().all(Expr::may_be_flat),
        }
    }

    /// Writes `lead`, the expression and `trail`: on one line when prettyplease would, else
    /// broken, each argument, field or element on a line of its own, four columns in.
    pub fn write(&self, w: &mut Writer, lead: &str, trail: &str) {
        if self.may_be_flat() && w.fits(lead.len() + self.flat_len() + trail.len()) {
            return w.line(&[lead, &self.flat(), trail]);
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
pub fn chain<E: std::borrow::Borrow<Expr>>(w: &mut Writer, receiver: &str, args: &[String], calls: &[E]) {
    let first = format!("{receiver}({})", args.join(", "));
    let rest: usize = calls.iter().map(|c| c.borrow().flat_len()).sum();
    if calls.iter().all(|c| c.borrow().may_be_flat()) && w.fits(first.len() + rest) {
        let mut line = first;
        calls.iter().for_each(|c| c.borrow().push_flat(&mut line));
        return w.line(&[&line]);
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
        call.borrow().write(w, "", "");
    }
    w.dedent();
}

/// The items' texts, separated by `, `.
fn push_joined(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.push_flat(out);
    }
}

/// The length of what `push_joined` writes.
fn joined_len<'e>(items: impl ExactSizeIterator<Item = &'e Expr>) -> usize {
    let n = items.len();
    items.map(Expr::flat_len).sum::<usize>() + 2 * n.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::layout::Piece;

    fn written(e: &Expr) -> String {
        let mut w = Writer::new();
        e.write(&mut w, "", "");
        match w.finish() {
            Piece::LaidOut(text) => text,
            _ => panic!("a certain layout"),
        }
    }

    fn flat(text: &str) -> Expr {
        Expr::Flat(text.to_string())
    }

    #[test]
    fn calls_holding_wide_struct_literals_break_at_every_level() {
        let at = |fields: &[(&str, &str)]| Expr::Struct {
            path: "crate::At".into(),
            fields: fields.iter().map(|(name, value)| (name.to_string(), flat(value))).collect(),
        };
        let e = Expr::call(
            ".param",
            vec![at(&[("place", "crate::Place::Query"), ("name", "\"expand\"")]), flat("self.expand")],
        );
        assert_eq!(
            written(&e),
            ".param(\n    crate::At {\n        place: crate::Place::Query,\n        name: \"expand\",\n    },\n    self.expand,\n)\n"
        );
        let empty = Expr::Array { prefix: "&".into(), items: Vec::new() };
        let e = Expr::call(".form_body", vec![flat("\"f\""), flat("self.body"), empty]);
        assert_eq!(written(&e), ".form_body(\"f\", self.body, &[])\n");
        let e = Expr::call(".at", vec![Expr::Struct { path: "At".into(), fields: vec![("a".into(), flat("1"))] }]);
        assert_eq!(written(&e), ".at(At { a: 1 })\n", "a narrow literal stays whole");
        let e = Expr::call(".at", vec![Expr::Struct { path: "At".into(), fields: Vec::new() }]);
        assert_eq!(written(&e), ".at(At {})\n");
    }

    #[test]
    fn the_flat_length_is_the_flat_texts() {
        let at = Expr::Struct { path: "At".into(), fields: vec![("a".into(), flat("1")), ("b".into(), flat("\"x\""))] };
        let exprs = [
            flat("self.x"),
            Expr::call("f", Vec::new()),
            Expr::call(".param", vec![at.clone(), flat("v")]),
            Expr::Struct { path: "Self".into(), fields: Vec::new() },
            Expr::Array { prefix: "&".into(), items: vec![at.clone(), at] },
            Expr::Array { prefix: String::new(), items: Vec::new() },
        ];
        for e in exprs {
            assert_eq!(e.flat_len(), e.flat().len(), "{}", e.flat());
        }
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
}
