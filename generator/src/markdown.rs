//! Spec text made safe for rustdoc. OpenAPI descriptions are CommonMark written for a docs
//! site; rustdoc reads the same text with Rust's eyes and warns where a site would not: a
//! bare URL is not a link, `[Deprecated]` is a link to an item that does not exist, an
//! untagged code block is Rust code that does not parse, `<string>` is an HTML tag never
//! closed. Each is rewritten to what the author meant, so that `cargo doc` on a generated
//! crate is silent and its pages read as the spec's do.

/// HTML elements a description may use as HTML; any other `<word>` is text (`List<String>`,
/// `<token>`) and is escaped.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Elements that take no closing tag.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img"];

/// A reference definition (`[label]: url`): its label, lowercased, and its URL.
type Definition = (String, String);

/// `text` with what rustdoc would warn about rewritten; code spans and fenced code kept.
/// Reference links are made inline (a description put on one line would lose its
/// definitions), and indented code becomes a fenced `text` block.
pub fn rustdoc_safe(text: &str) -> String {
    let text = &text.replace(TAG, "");
    let defined: Vec<Definition> = text.lines().filter_map(definition).collect();
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented: Vec<String> = Vec::new();
    let (mut in_list, mut after_blank) = (false, true);
    for line in text.lines() {
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        let blank = trimmed.is_empty();
        let indent = line.len() - trimmed.len();
        if fence.is_none() && !indented.is_empty() && !blank && indent < 4 {
            close_indented(&mut indented, &mut out);
        }
        if fence.is_none() && !indented.is_empty() {
            indented.push(line.get(4..).unwrap_or("").to_string());
            continue;
        }
        if fence.is_none() && indent >= 4 && !blank && after_blank && !in_list {
            indented.push(line[4..].to_string());
            continue;
        }
        after_blank = blank;
        if let Some(marker) = fence_marker(trimmed) {
            match &fence {
                Some(open) if marker.starts_with(open.as_str()) && trimmed[marker.len()..].trim().is_empty() => {
                    fence = None;
                    out.push(line);
                }
                Some(_) => out.push(line),
                None => {
                    // An untagged block is Rust to rustdoc; the spec's code is not.
                    let untagged = trimmed[marker.len()..].trim().is_empty();
                    out.push(if untagged { format!("{}{marker}text", &line[..indent]) } else { line.clone() });
                    fence = Some(marker);
                }
            }
            continue;
        }
        if fence.is_some() {
            out.push(line);
            continue;
        }
        if definition(&line).is_some() {
            continue;
        }
        if !blank && indent == 0 {
            in_list = is_list_item(trimmed);
        } else if is_list_item(trimmed) {
            in_list = true;
        }
        out.push(line_safe(&line, &defined));
    }
    close_indented(&mut indented, &mut out);
    // A block the spec leaves open would swallow what follows it in a doc comment.
    if let Some(open) = fence {
        out.push(open);
    }
    balance_html(&out.join("\n"))
}

/// The ``` or ~~~ that opens or closes a fenced block, if `line` (trimmed) starts with one.
fn fence_marker(line: &str) -> Option<String> {
    let first = line.chars().next().filter(|&c| c == '`' || c == '~')?;
    let marker: String = line.chars().take_while(|&c| c == first).collect();
    (marker.len() >= 3).then_some(marker)
}

/// An indented code block, written fenced as `text` (the blank lines after it stay after it).
fn close_indented(lines: &mut Vec<String>, out: &mut Vec<String>) {
    if lines.is_empty() {
        return;
    }
    let trailing = lines.iter().rev().take_while(|l| l.trim().is_empty()).count();
    let code = lines.len() - trailing;
    out.push("```text".into());
    out.extend(lines.drain(..code));
    out.push("```".into());
    out.append(lines);
}

fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") || {
        digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
    }
}

/// The reference definition `line` is (`[label]: url`), if it is one.
fn definition(line: &str) -> Option<Definition> {
    let l = line.trim_start().strip_prefix('[')?;
    let (label, rest) = l.split_once("]:")?;
    let url = rest.split_whitespace().next()?.trim_start_matches('<').trim_end_matches('>');
    (!label.is_empty() && !label.contains(['[', ']'])).then(|| (label.to_lowercase(), url.to_string()))
}

/// One line outside fenced code: code spans kept as they are, brackets (whose text may hold
/// code spans) taken whole, the rest rewritten.
fn line_safe(line: &str, defined: &[Definition]) -> String {
    let mut out = String::with_capacity(line.len());
    let (mut prose, mut at) = (0, 0);
    while let Some(found) = line[at..].find(['`', '[']) {
        let start = at + found;
        let rest = &line[start..];
        let escaped = line[..start].ends_with('\\');
        let taken = match rest.as_bytes()[0] {
            b'`' => code_span_len(rest).map(|len| (len, rest[..len].to_string())),
            _ if escaped => None,
            _ => brackets(rest, defined),
        };
        match taken {
            Some((len, written)) => {
                out.push_str(&prose_safe(&line[prose..start]));
                out.push_str(&written);
                at = start + len;
                prose = at;
            }
            None => at = start + rest.chars().take_while(|&c| c == '`').count().max(1),
        }
    }
    out.push_str(&prose_safe(&line[prose..]));
    out
}

/// The length of the code span at the start of `text` (which starts with a backtick), if it
/// is closed on this line.
fn code_span_len(text: &str) -> Option<usize> {
    let ticks = text.chars().take_while(|&c| c == '`').count();
    let end = text[ticks..].find(&"`".repeat(ticks))?;
    Some(ticks + end + ticks)
}

/// Prose without code or brackets: bare URLs become autolinks, `<word>` that is no HTML is
/// escaped, and HTML tags are marked for [`balance_html`].
fn prose_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        if (rest.starts_with("http://") || rest.starts_with("https://")) && !after_link_syntax(&out) {
            let len = url_len(rest);
            out.push_str(&format!("<{}>", &rest[..len]));
            at += len;
            continue;
        }
        if rest.len() >= 5 && rest.is_char_boundary(5) && rest[..5].eq_ignore_ascii_case("</br>") {
            // How some write a line break; rustdoc sees a closing tag never opened.
            out.push_str("<br>");
            at += 5;
            continue;
        }
        match c {
            '<' if !is_html(rest) => out.push_str("&lt;"),
            '<' if element(rest).is_some() => {
                // The tag as written, its attributes' URLs included; quotes escaped twice
                // (`href=\\"...\\"`) are what the author meant, and else no tag to rustdoc.
                let len = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push(TAG);
                out.push_str(&rest[..len].replace("\\\"", "\""));
                at += len;
                continue;
            }
            _ => out.push(c),
        }
        at += c.len_utf8();
    }
    out
}

/// Whether what precedes a URL makes it part of a link already: `<url>` (a tag's attributes
/// are copied whole, never reach here).
fn after_link_syntax(before: &str) -> bool {
    before.ends_with('<')
}

/// The length of the URL at the start of `text`: up to a space or a character that ends it in
/// prose, without the punctuation that closes a sentence.
fn url_len(text: &str) -> usize {
    let end = text.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '|')).unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
        // A closing parenthesis belongs to the URL only when it opened one.
        let trimmed = if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            return url.len();
        }
        url = trimmed;
    }
}

/// `[...]` at the start of `text`: how long it is and what to write for it. A link to a URL,
/// a path or an anchor stays; one to anything else (rustdoc would look for a Rust item) keeps
/// its text; a reference with a definition becomes inline; other brackets are escaped. The
/// text inside is rewritten as any other.
fn brackets(text: &str, defined: &[Definition]) -> Option<(usize, String)> {
    let close = bracket_close(text)?;
    if close == 1 {
        return None;
    }
    let raw = &text[1..close];
    let label = line_safe(raw, defined);
    let after = &text[close + 1..];
    let lookup = |l: &str| defined.iter().find(|(d, _)| *d == l.to_lowercase()).map(|(_, url)| url.clone());
    if let Some(inner) = after.strip_prefix('(') {
        let end = destination_end(inner)?;
        let destination = &inner[..end];
        let len = close + 2 + end + 1;
        return Some(if leads_somewhere(destination) {
            (len, format!("[{label}]({destination})"))
        } else {
            (len, label)
        });
    }
    if let Some((second, _)) = after.strip_prefix('[').and_then(|a| a.split_once(']')) {
        let target = if second.is_empty() { raw } else { second };
        if let Some(url) = lookup(target) {
            return Some((close + 1 + second.len() + 2, format!("[{label}]({url})")));
        }
    }
    match lookup(raw) {
        Some(url) => Some((close + 1, format!("[{label}]({url})"))),
        None => Some((close + 1, format!("\\[{label}\\]"))),
    }
}

/// Where the `]` that closes the `[` at the start of `text` is, passing over code spans; none
/// when another `[` comes first.
fn bracket_close(text: &str) -> Option<usize> {
    let mut at = 1;
    loop {
        let found = at + text[at..].find(['`', '[', ']'])?;
        match text.as_bytes()[found] {
            b']' => return Some(found),
            b'[' => return None,
            _ => at = found + code_span_len(&text[found..]).unwrap_or(1),
        }
    }
}

/// Where the destination of `[text](...)` ends in `inner` (after the parenthesis), counting
/// the parentheses a URL may hold.
fn destination_end(inner: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether a link destination is a URL, a path or an anchor, which rustdoc leaves alone.
/// A destination with spaces is one only as `url "title"`: a site's template code
/// (`{{< relref "x" >}}`) is none.
fn leads_somewhere(destination: &str) -> bool {
    let d = destination.trim();
    let (url, title) = d.split_once(char::is_whitespace).unwrap_or((d, ""));
    let title = title.trim_start();
    (title.is_empty() || title.starts_with(['"', '\'', '(']))
        && (url.contains("://") || url.contains('/') || url.starts_with('#') || url.starts_with("mailto:"))
}

/// Whether `text` starts with an HTML tag rustdoc accepts: a known element (opening, closing
/// or void), a comment, or an autolink (`<https://...>`, `<a@b.c>`).
fn is_html(text: &str) -> bool {
    let inner = &text[1..];
    if inner.starts_with("!--") || inner.starts_with("http://") || inner.starts_with("https://") {
        return true;
    }
    let Some(end) = inner.find('>') else { return false };
    let tag = &inner[..end];
    (!tag.contains(char::is_whitespace) && tag.contains('@')) || element(text).is_some()
}

/// How a tag takes part in nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Open,
    Close,
    /// Void (`<br>`) or self-closing (`<td/>`): nothing to match.
    Alone,
}

/// The known element `text` starts with a tag of (`<b>`, `</td>`, `<br/>`), and its kind.
fn element(text: &str) -> Option<(String, TagKind)> {
    let inner = text.strip_prefix('<')?;
    let tag = &inner[..inner.find('>')?];
    let closing = tag.starts_with('/');
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if !HTML_ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let kind = match () {
        _ if closing => TagKind::Close,
        _ if VOID_ELEMENTS.contains(&name.as_str()) || tag.ends_with('/') => TagKind::Alone,
        _ => TagKind::Open,
    };
    Some((name, kind))
}

/// Marks the `<` of an element's tag in prose, so that tags can be matched once the whole
/// text is written; a private-use character, taken out of the spec's text first.
const TAG: char = '\u{E000}';

/// `text` with its marked tags matched as rustdoc matches them: a closing tag closes the
/// nearest open one of its name (those opened after it are left unclosed). Each tag left
/// unmatched is written as text, except `<p>`, which some specs use as a paragraph break
/// never closed: it becomes `<br>`, and a `</p>` never opened goes.
fn balance_html(text: &str) -> String {
    if !text.contains(TAG) {
        return text.to_string();
    }
    let tags: Vec<(usize, String, TagKind)> = text
        .match_indices(TAG)
        .filter_map(|(at, _)| element(&text[at + TAG.len_utf8()..]).map(|(name, kind)| (at, name, kind)))
        .collect();
    let mut unmatched = vec![false; tags.len()];
    let mut open: Vec<usize> = Vec::new();
    for (k, (_, name, kind)) in tags.iter().enumerate() {
        match kind {
            TagKind::Alone => {}
            TagKind::Open => open.push(k),
            TagKind::Close => match open.iter().rposition(|&o| tags[o].1 == *name) {
                Some(p) => {
                    open.drain(p..).skip(1).for_each(|o| unmatched[o] = true);
                }
                None => unmatched[k] = true,
            },
        }
    }
    open.into_iter().for_each(|o| unmatched[o] = true);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for ((at, name, kind), unmatched) in tags.iter().zip(unmatched) {
        out.push_str(&text[from..*at]);
        from = at + TAG.len_utf8();
        if !unmatched {
            continue;
        }
        let len = text[from..].find('>').map_or(0, |e| e + 1);
        match (name.as_str(), kind) {
            ("p", TagKind::Open) => out.push_str("<br>"),
            ("p", _) => {}
            _ => {
                out.push_str("&lt;");
                out.push_str(&text[from + 1..from + len]);
            }
        }
        from += len;
    }
    out.push_str(&text[from..]);
    out.replace(TAG, "")
}

#[cfg(test)]
mod tests {
    use super::rustdoc_safe;

    #[test]
    fn bare_urls_become_links_and_links_stay() {
        assert_eq!(
            rustdoc_safe("Join us at https://example.com/discuss. Or [here](https://x.y) or <https://z.w>."),
            "Join us at <https://example.com/discuss>. Or [here](https://x.y) or <https://z.w>."
        );
        assert_eq!(rustdoc_safe("(see https://a.b/c_(d))"), "(see <https://a.b/c_(d)>)");
        assert_eq!(rustdoc_safe("<a href=\"https://a.b\">a</a>"), "<a href=\"https://a.b\">a</a>");
    }

    #[test]
    fn brackets_that_are_no_link_are_escaped() {
        assert_eq!(rustdoc_safe("[Deprecated] Use [the new one](x)."), "\\[Deprecated\\] Use the new one.");
        assert_eq!(rustdoc_safe("See [docs].\n\n[docs]: https://d.e"), "See [docs](https://d.e).\n");
        assert_eq!(rustdoc_safe("The [RFC][1] digest.\n[1]: https://r.f/c"), "The [RFC](https://r.f/c) digest.");
        assert_eq!(rustdoc_safe("Use [expand](em>#expansion) or [x](#y)."), "Use expand or [x](#y).");
        assert_eq!(rustdoc_safe("our [spec] (https://a.b/c)."), "our \\[spec\\] (<https://a.b/c>).");
        assert_eq!(rustdoc_safe("an array `[1, 2]` and [x][y]"), "an array `[1, 2]` and \\[x\\]\\[y\\]");
        assert_eq!(rustdoc_safe("[x][y]\n\n[y]: https://d.e"), "[x](https://d.e)\n");
    }

    #[test]
    fn code_blocks_are_text_unless_tagged_and_left_alone() {
        let spec = "Example:\n```\ncurl https://a.b [x]\n```\n```json\n{}\n```";
        assert_eq!(rustdoc_safe(spec), "Example:\n```text\ncurl https://a.b [x]\n```\n```json\n{}\n```");
        assert_eq!(rustdoc_safe("open\n```\nnever closed"), "open\n```text\nnever closed\n```");
        let indented = "Run:\n\n    curl -X POST \\\n      -d '{}'\n\nThen.";
        assert_eq!(rustdoc_safe(indented), "Run:\n\n```text\ncurl -X POST \\\n  -d '{}'\n```\n\nThen.");
        let list = "- one\n\n    more of one\n- two";
        assert_eq!(rustdoc_safe(list), list);
    }

    #[test]
    fn words_in_angle_brackets_are_text_and_html_stays() {
        assert_eq!(rustdoc_safe("a List<String> of <b>bold</b><br>"), "a List&lt;String> of <b>bold</b><br>");
        assert_eq!(rustdoc_safe("Bearer <token> or <!-- c -->"), "Bearer &lt;token> or <!-- c -->");
        assert_eq!(rustdoc_safe("one</br>two"), "one<br>two");
    }

    #[test]
    fn urls_in_quotes_and_links_around_code_or_templates() {
        assert_eq!(rustdoc_safe("set \"https://a.b/c\" here"), "set \"<https://a.b/c>\" here");
        assert_eq!(rustdoc_safe("{\"cps\"=\"https://a.b\"}"), "{\"cps\"=\"<https://a.b>\"}");
        assert_eq!(
            rustdoc_safe("See <a href=\\\"https://a.b\\\">errors</a>."),
            "See <a href=\"https://a.b\">errors</a>."
        );
        assert_eq!(
            rustdoc_safe("[Blocks]({{< relref \"x/y\" >}}) and [t](https://a.b \"T\")"),
            "Blocks and [t](https://a.b \"T\")"
        );
        assert_eq!(
            rustdoc_safe("See [`PointStruct`] or [`a[0]`](https://a.b)."),
            "See \\[`PointStruct`\\] or [`a[0]`](https://a.b)."
        );
        assert_eq!(rustdoc_safe("an escaped \\[x\\] stays"), "an escaped \\[x\\] stays");
        assert_eq!(rustdoc_safe("[the <Conference> noun](https://a.b)"), "[the &lt;Conference> noun](https://a.b)");
    }

    #[test]
    fn html_left_unbalanced_is_text() {
        assert_eq!(rustdoc_safe("<b>bold</b> then </tr> alone"), "<b>bold</b> then &lt;/tr> alone");
        assert_eq!(rustdoc_safe("<table><tr><td>x</table>"), "<table>&lt;tr>&lt;td>x</table>");
        assert_eq!(rustdoc_safe("One.<p>Two.<p>Three.</p>"), "One.<br>Two.<p>Three.</p>");
        assert_eq!(rustdoc_safe("`<b>` in code and <br/> and <td/>"), "`<b>` in code and <br/> and <td/>");
        assert_eq!(rustdoc_safe("<b>\n\n```\n</b>\n```\n"), "&lt;b>\n\n```text\n</b>\n```");
    }
}
