//! OpenAPI's style tables, row by row, with the values the specification's own table uses
//! (`5`, `[3, 4, 5]`, `{"role": "admin", "firstName": "Alex"}`), and form bodies.

use serde_json::{json, Value};

use crate::runtime::style::{self, ParamAt, Place, Style};

fn at(place: Place, style: Style, explode: bool) -> ParamAt {
    ParamAt { place, name: "id", style, explode, allow_reserved: false }
}

fn values() -> [Value; 3] {
    [json!(5), json!([3, 4, 5]), json!({"role": "admin", "firstName": "Alex"})]
}

fn path_row(style: Style, explode: bool) -> [String; 3] {
    values().map(|v| style::path(&at(Place::Path, style, explode), &v).unwrap())
}

fn query_row(style: Style, explode: bool) -> [String; 3] {
    values().map(|v| style::query(&at(Place::Query, style, explode), &v).join("&"))
}

#[test]
fn path_styles_match_the_table() {
    // Properties go in the order of their names: `firstName` before `role`.
    assert_eq!(path_row(Style::Simple, false), ["5", "3,4,5", "firstName,Alex,role,admin"]);
    assert_eq!(path_row(Style::Simple, true), ["5", "3,4,5", "firstName=Alex,role=admin"]);
    assert_eq!(path_row(Style::Label, false), [".5", ".3,4,5", ".firstName,Alex,role,admin"]);
    assert_eq!(path_row(Style::Label, true), [".5", ".3.4.5", ".firstName=Alex.role=admin"]);
    assert_eq!(path_row(Style::Matrix, false), [";id=5", ";id=3,4,5", ";id=firstName,Alex,role,admin"]);
    assert_eq!(path_row(Style::Matrix, true), [";id=5", ";id=3;id=4;id=5", ";firstName=Alex;role=admin"]);
}

#[test]
fn query_styles_match_the_table() {
    assert_eq!(query_row(Style::Form, true), ["id=5", "id=3&id=4&id=5", "firstName=Alex&role=admin"]);
    assert_eq!(query_row(Style::Form, false), ["id=5", "id=3,4,5", "id=firstName,Alex,role,admin"]);
    assert_eq!(query_row(Style::SpaceDelimited, false)[1], "id=3%204%205");
    assert_eq!(query_row(Style::PipeDelimited, false)[1], "id=3|4|5");
    assert_eq!(query_row(Style::DeepObject, true)[2], "id[firstName]=Alex&id[role]=admin");
}

#[test]
fn delimiters_inside_values_are_encoded_and_never_split_them() {
    let q = style::query(&at(Place::Query, Style::Form, false), &json!(["a,b", "c d", "e&f=g"]));
    assert_eq!(q, ["id=a%2Cb,c+d,e%26f%3Dg"]);
    let p = style::path(&at(Place::Path, Style::Label, true), &json!(["a.b", "c/d"])).unwrap();
    assert_eq!(p, ".a.b.c%2Fd");
    assert!(style::path(&at(Place::Path, Style::Simple, false), &json!("..")).is_err());
}

#[test]
fn deep_objects_nest_in_brackets_and_index_their_arrays() {
    let value = json!({"gt": 1, "range": {"lt": 5}, "tags": ["a", "b"], "skip": null});
    let q = style::query(&at(Place::Query, Style::DeepObject, true), &value);
    assert_eq!(q, ["id[gt]=1", "id[range][lt]=5", "id[tags][0]=a", "id[tags][1]=b"]);
}

#[test]
fn allow_reserved_keeps_reserved_characters_but_not_those_that_end_a_value() {
    let mut a = at(Place::Query, Style::Form, true);
    a.allow_reserved = true;
    assert_eq!(style::query(&a, &json!("a/b:c,d?e&f=g#h")), ["id=a/b:c,d?e%26f%3Dg%23h"]);
}

#[test]
fn headers_and_cookies() {
    assert_eq!(style::header(&json!([3, 4, 5])).as_deref(), Some("3,4,5"));
    assert_eq!(style::header(&json!({"role": "admin", "id": 5})).as_deref(), Some("id,5,role,admin"));
    assert_eq!(style::cookie(&at(Place::Cookie, Style::Form, false), &json!([3, 4])), ["id=3,4"]);
    assert_eq!(style::cookie(&at(Place::Cookie, Style::Form, true), &json!([3, 4])), ["id=3", "id=4"]);
    assert_eq!(style::cookie(&at(Place::Cookie, Style::Form, true), &json!("a b;c")), ["id=a%20b%3Bc"]);
}

#[test]
fn form_bodies_bracket_nested_objects_repeat_arrays_and_follow_encoding() {
    let body = json!({
        "amount": 100,
        "metadata": {"order": "6735", "note": "a&b"},
        "card": {"address": {"city": "Zürich"}},
        "expand": ["customer", "invoice"],
        "tags": ["x", "y"],
        "none": null,
    });
    let encoding = [ParamAt {
        place: Place::Query,
        name: "expand",
        style: Style::DeepObject,
        explode: true,
        allow_reserved: false,
    }];
    let text = style::form_body(&body, &encoding).unwrap();
    assert_eq!(
        text,
        "amount=100&card[address][city]=Z%C3%BCrich&expand[0]=customer&expand[1]=invoice\
         &metadata[note]=a%26b&metadata[order]=6735&tags=x&tags=y"
    );
    assert!(style::form_body(&json!([1]), &[]).is_err());
}
