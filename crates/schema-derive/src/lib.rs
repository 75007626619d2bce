//! `#[derive(Fields)]`: one attribute per field gives the record schema the front ends
//! read (name, labels, type, limits, the date that orders a record) and the field checks
//! the domain runs before anything is saved (required text not blank, length limits, no
//! control characters, number ranges, plausible dates).
//!
//! ```ignore
//! #[derive(Fields)]
//! #[schema(name = "shelter_stay")]
//! pub struct ShelterStay {
//!     #[schema(zh = "机构", en = "institution")]
//!     pub institution: String,
//!     #[schema(zh = "入站日期", en = "admitted", orders)]
//!     pub admitted: NaiveDate,
//!     #[schema(zh = "原因", en = "reason", multiline, search)]
//!     pub reason: Option<String>,
//! }
//! ```
//!
//! Field attributes: `zh`, `en` (labels, required), `max = N` (characters of text),
//! `multiline` (long text), `range(MIN, MAX)` (numbers), `orders` (the record's date),
//! `search` (free text for the search index), `secondary` (left out of one-line summaries),
//! `ends` (the date that ends the period a record covers, from its `orders` date),
//! `past` (R-DATE: a date that says something happened, never after today — on a nested
//! object, its own `past` fields are checked) and `planned` (a date that may lie ahead:
//! a planned end). Every date of a record and of a case is one or the other (a test of
//! the domain's schema holds it).
//! A field's doc comment becomes its description in the schema (and in
//! docs/import-format.md).
//! The type (text, date, enumeration, list, nested object) and whether the field is
//! optional come from the Rust type through `guitu_domain::schema::Describe`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::{Data, DeriveInput, Fields as SynFields, LitInt, LitStr, parse_macro_input};

#[derive(Default)]
struct FieldAttrs {
    zh: Option<String>,
    en: Option<String>,
    max: Option<u32>,
    multiline: bool,
    range: Option<(i64, i64)>,
    orders: bool,
    search: bool,
    secondary: bool,
    ends: bool,
    past: bool,
    planned: bool,
}

fn parse_int(lit: &LitInt) -> syn::Result<i64> {
    lit.base10_parse::<i64>()
}

fn field_attrs(attrs: &[syn::Attribute]) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("schema")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("zh") {
                out.zh = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("en") {
                out.en = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("max") {
                let lit: LitInt = meta.value()?.parse()?;
                out.max = Some(lit.base10_parse::<u32>()?);
            } else if meta.path.is_ident("multiline") {
                out.multiline = true;
            } else if meta.path.is_ident("orders") {
                out.orders = true;
            } else if meta.path.is_ident("search") {
                out.search = true;
            } else if meta.path.is_ident("secondary") {
                out.secondary = true;
            } else if meta.path.is_ident("ends") {
                out.ends = true;
            } else if meta.path.is_ident("past") {
                out.past = true;
            } else if meta.path.is_ident("planned") {
                out.planned = true;
            } else if meta.path.is_ident("range") {
                let content;
                syn::parenthesized!(content in meta.input);
                let lo = parse_signed(&content)?;
                content.parse::<syn::Token![,]>()?;
                let hi = parse_signed(&content)?;
                out.range = Some((lo, hi));
            } else {
                return Err(meta.error("unknown schema attribute"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn parse_signed(input: syn::parse::ParseStream<'_>) -> syn::Result<i64> {
    let neg = input.peek(syn::Token![-]);
    if neg {
        input.parse::<syn::Token![-]>()?;
    }
    let v = parse_int(&input.parse::<LitInt>()?)?;
    Ok(if neg { -v } else { v })
}

fn struct_name(input: &DeriveInput) -> syn::Result<String> {
    let mut name = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("schema")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                name = Some(meta.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else {
                Err(meta.error("unknown schema attribute on a struct (only `name`)"))
            }
        })?;
    }
    Ok(name.unwrap_or_else(|| snake(&input.ident.to_string())))
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn expand(input: DeriveInput) -> syn::Result<TokenStream2> {
    let ident = &input.ident;
    let name = struct_name(&input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            ident,
            "Fields derives only on structs",
        ));
    };
    let SynFields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(ident, "Fields needs named fields"));
    };
    let root = quote!(::guitu_domain::schema);
    let mut specs = Vec::new();
    let mut checks = Vec::new();
    let mut searches = Vec::new();
    let mut pasts = Vec::new();
    let mut orders = None;
    for f in &named.named {
        let Some(fident) = &f.ident else { continue };
        let fname = fident.to_string();
        let ty = &f.ty;
        let a = field_attrs(&f.attrs)?;
        let doc = f
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value().trim().to_owned()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ");
        let (Some(zh), Some(en)) = (a.zh.as_ref(), a.en.as_ref()) else {
            return Err(syn::Error::new_spanned(
                fident,
                "every field needs #[schema(zh = \"…\", en = \"…\")]: the label is defined once, here",
            ));
        };
        let max = match a.max {
            Some(m) => quote!(::core::option::Option::Some(#m)),
            None => quote!(::core::option::Option::None),
        };
        let range = match a.range {
            Some((lo, hi)) => quote!(::core::option::Option::Some((#lo, #hi))),
            None => quote!(::core::option::Option::None),
        };
        let multiline = a.multiline;
        let orders_flag = a.orders;
        let search_flag = a.search;
        let secondary = a.secondary;
        let ends = a.ends;
        if a.past && a.planned {
            return Err(syn::Error::new_spanned(
                fident,
                "a date is either `past` (it happened) or `planned`, not both",
            ));
        }
        let (past, planned) = (a.past, a.planned);
        specs.push(quote! {
            #root::FieldSpec::of::<#ty>(#fname, #zh, #en, #root::Limits { max: #max, range: #range, multiline: #multiline })
                .with_flags(#orders_flag, #search_flag, #secondary)
                .with_when(#past, #planned)
                .with_ends(#ends)
                .with_doc(#doc)
        });
        if a.past {
            pasts.push(quote! {
                #root::NotAfter::not_after(&self.#fident, at.child(#fname), today)?;
            });
        }
        checks.push(quote! {
            #root::Check::check(&self.#fident, at.child(#fname), &#root::Limits { max: #max, range: #range, multiline: #multiline })?;
        });
        if a.search {
            searches.push(quote! { #root::SearchText::push_text(&self.#fident, out); });
        }
        if a.orders {
            if orders.is_some() {
                return Err(syn::Error::new_spanned(
                    fident,
                    "only one field may order the record",
                ));
            }
            orders = Some(fident.clone());
        }
    }
    let dated = orders.map(|o| {
        quote! {
            impl #root::Dated for #ident {
                fn date(&self) -> ::chrono::NaiveDate { self.#o }
            }
        }
    });
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics #root::Fields for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            fn fields() -> ::std::vec::Vec<#root::FieldSpec> {
                ::std::vec![#(#specs),*]
            }
            fn check_fields(&self, at: #root::At<'_>) -> ::core::result::Result<(), ::guitu_domain::DomainError> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }
            fn search_text<'s>(&'s self, out: &mut ::std::vec::Vec<&'s str>) {
                let _ = &out;
                #(#searches)*
            }
            fn check_not_after(&self, at: #root::At<'_>, today: ::chrono::NaiveDate) -> ::core::result::Result<(), ::guitu_domain::DomainError> {
                let _ = (&at, &today);
                #(#pasts)*
                ::core::result::Result::Ok(())
            }
        }
        impl #impl_generics #root::NotAfter for #ident #ty_generics #where_clause {
            fn not_after(&self, at: #root::At<'_>, today: ::chrono::NaiveDate) -> ::core::result::Result<(), ::guitu_domain::DomainError> {
                #root::Fields::check_not_after(self, at, today)
            }
        }
        impl #impl_generics #root::Describe for #ident #ty_generics #where_clause {
            fn describe() -> #root::FieldType {
                #root::FieldType::Object { name: ::std::borrow::ToOwned::to_owned(#name) }
            }
        }
        impl #impl_generics #root::Check for #ident #ty_generics #where_clause {
            fn check(&self, at: #root::At<'_>, _limits: &#root::Limits) -> ::core::result::Result<(), ::guitu_domain::DomainError> {
                #root::Fields::check_fields(self, at)
            }
        }
        #dated
    })
}

/// Derives `guitu_domain::schema::Fields` (and `Describe`, `Check`, and `Dated` when a
/// field is marked `orders`). See the crate documentation.
#[proc_macro_derive(Fields, attributes(schema))]
pub fn derive_fields(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(input) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}
