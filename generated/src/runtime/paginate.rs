//! Streams of the items of a list that the server gives a page at a time.

use super::error::Error;

/// One page: its items, and what asks for the next page (`None`: this was the last).
pub(crate) struct Page<T, C> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<C>,
}

/// The items of a list fetched page by page: `fetch(first)` gets the first page, and each
/// page's `next` the one after it. Nothing is fetched until the stream is read, and nothing
/// more once it is dropped. The stream ends after the last page, after an error, or when a
/// page leads to itself (a server that repeats its cursor would otherwise be asked forever).
pub(crate) fn paginate<'a, T, E, C, F, Fut>(
    first: C,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    T: 'a,
    E: 'a,
    C: Clone + PartialEq + 'a,
    F: FnMut(C) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Page<T, C>, Error<E>>> + 'a,
{
    struct Pages<F, T, C> {
        fetch: F,
        next: Option<C>,
        buffer: std::vec::IntoIter<T>,
    }
    let start = Pages { fetch, next: Some(first), buffer: Vec::new().into_iter() };
    futures_util::stream::unfold(start, |mut pages| async move {
        loop {
            if let Some(item) = pages.buffer.next() {
                return Some((Ok(item), pages));
            }
            let cursor = pages.next.take()?;
            match (pages.fetch)(cursor.clone()).await {
                Ok(page) => {
                    pages.next = page.next.filter(|next| *next != cursor);
                    pages.buffer = page.items.into_iter();
                }
                Err(e) => return Some((Err(e), pages)),
            }
        }
    })
}

/// The items of a call that lists by `limit` and `offset` in its query, until a page comes back
/// short: each page a copy of `call` with `set(page, page_size, offset)` done to it, awaited.
pub(crate) fn offset_pages<'a, C, T, E>(
    call: C,
    page_size: i64,
    set: fn(&mut C, i64, i64),
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    C: Clone + std::future::IntoFuture<Output = Result<Vec<T>, Error<E>>> + 'a,
    T: 'a,
    E: 'a,
{
    let page_size = page_size.max(1);
    paginate(0i64, move |offset: i64| {
        let mut page = call.clone();
        set(&mut page, page_size, offset);
        async move {
            let items = page.await?;
            let next = next_offset(page_size, offset, items.len(), None);
            Ok(Page { items, next })
        }
    })
}

/// The offset of the page after one of `len` items at `offset`: none after an empty page; with
/// the list's `total`, none once it is reached (a short page does not end it, since servers
/// may cap the page size below the one asked for); without, none after a short page.
///
/// A "total" that is the length of a full page may be a count of the page (what some APIs'
/// `count` is): the list goes on then, at the cost of one more request when a full page really
/// was the whole list.
pub(crate) fn next_offset(page_size: i64, offset: i64, len: usize, total: Option<i64>) -> Option<i64> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let next = offset.saturating_add(len);
    let more = match total {
        Some(total) if total == len && len >= page_size => true,
        Some(total) => next < total,
        None => len >= page_size,
    };
    (len > 0 && more).then_some(next)
}

/// The URL of the next page in a `Link` header (RFC 8288): the target of the link whose
/// `rel` has `next`, as written (the request resolves and checks it).
pub(crate) fn link_next(link: Option<&str>) -> Option<String> {
    let link = link?;
    let mut rest = link;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        // The parameters run to the next link: a `<` outside quotes.
        let after = &rest[close + 1..];
        let mut end = after.len();
        let mut quoted = false;
        for (i, c) in after.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '<' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let params = &after[..end];
        let is_next = params.split(';').any(|p| {
            let Some((key, value)) = p.split_once('=') else { return false };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_end_matches(',')
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.trim().to_string());
        }
        rest = &after[end..];
    }
    None
}

/// The value of header `name` as a `T`: `None` when it is absent or does not parse (documented
/// headers are often sent only sometimes, and a bad one must not cost the body).
pub(crate) fn header_value<T: std::str::FromStr>(headers: &reqwest::header::HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The cursor of the next page from a page's token: none, or an empty one, ends the list.
pub(crate) fn next_token(token: Option<String>) -> Option<Option<String>> {
    token.filter(|t| !t.is_empty()).map(Some)
}
