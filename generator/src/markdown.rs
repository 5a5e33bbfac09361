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
    out.join("\n")
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

/// One line outside fenced code: code spans kept as they are, the rest rewritten.
fn line_safe(line: &str, defined: &[Definition]) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        let ticks = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + ticks..];
        let close = "`".repeat(ticks);
        let Some(end) = after.find(&close) else { break };
        out.push_str(&prose_safe(&rest[..start], defined));
        out.push_str(&rest[start..start + ticks + end + ticks]);
        rest = &after[end + ticks..];
    }
    out.push_str(&prose_safe(rest, defined));
    out
}

/// Prose: bare URLs become autolinks, links are kept when they lead somewhere (inline when
/// they were references), other brackets are escaped, and `<word>` that is no HTML is escaped.
fn prose_safe(text: &str, defined: &[Definition]) -> String {
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
        if c == '[' {
            if let Some((len, written)) = brackets(rest, defined) {
                out.push_str(&written);
                at += len;
                continue;
            }
        }
        if rest.len() >= 5 && rest.is_char_boundary(5) && rest[..5].eq_ignore_ascii_case("</br>") {
            // How some write a line break; rustdoc sees a closing tag never opened.
            out.push_str("<br>");
            at += 5;
            continue;
        }
        match c {
            '<' if !is_html(rest) => out.push_str("&lt;"),
            _ => out.push(c),
        }
        at += c.len_utf8();
    }
    out
}

/// Whether what precedes a URL makes it part of a link already: `](url)`, `<url>`,
/// `href="url"`.
fn after_link_syntax(before: &str) -> bool {
    before.ends_with(['<', '"', '\'', '=']) || before.ends_with("](")
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
/// its text; a reference with a definition becomes inline; other brackets are escaped.
fn brackets(text: &str, defined: &[Definition]) -> Option<(usize, String)> {
    let close = text[1..].find([']', '['])? + 1;
    if text.as_bytes()[close] != b']' || close == 1 {
        return None;
    }
    let label = &text[1..close];
    let after = &text[close + 1..];
    let lookup = |l: &str| defined.iter().find(|(d, _)| *d == l.to_lowercase()).map(|(_, url)| url.clone());
    if let Some(inner) = after.strip_prefix('(') {
        let end = destination_end(inner)?;
        let destination = &inner[..end];
        let len = close + 2 + end + 1;
        return Some(if leads_somewhere(destination) {
            (len, text[..len].to_string())
        } else {
            (len, label.to_string())
        });
    }
    if let Some((second, _)) = after.strip_prefix('[').and_then(|a| a.split_once(']')) {
        let target = if second.is_empty() { label } else { second };
        if let Some(url) = lookup(target) {
            return Some((close + 1 + second.len() + 2, format!("[{label}]({url})")));
        }
    }
    match lookup(label) {
        Some(url) => Some((close + 1, format!("[{label}]({url})"))),
        None => Some((close + 1, format!("\\[{label}\\]"))),
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
fn leads_somewhere(destination: &str) -> bool {
    let d = destination.trim();
    d.contains("://") || d.contains('/') || d.starts_with('#') || d.starts_with("mailto:")
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
    if !tag.contains(char::is_whitespace) && tag.contains('@') {
        return true;
    }
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    HTML_ELEMENTS.contains(&name.as_str()) || VOID_ELEMENTS.contains(&name.as_str())
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
}
