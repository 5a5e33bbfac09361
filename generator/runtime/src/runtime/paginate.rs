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

/// The offset of the page after one of `len` items at `offset`, unless it came back short.
pub(crate) fn next_offset(page_size: i64, offset: i64, len: usize) -> Option<i64> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    (len >= page_size && len > 0).then(|| offset.saturating_add(len))
}

/// The cursor of the next page from a page's token: none, or an empty one, ends the list.
pub(crate) fn next_token(token: Option<String>) -> Option<Option<String>> {
    token.filter(|t| !t.is_empty()).map(Some)
}
