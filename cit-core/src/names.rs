//! `names!`: an enum of names written once — each variant with its JSON name and its
//! Italian label — from which the serde names, `ALL`, `as_str`, `label` and `Display` are
//! all generated, so they cannot drift apart (as `rules!` does for rule ids).

/// Declares a fieldless enum from one list of `Variant => "json_name", "Label",`.
macro_rules! names {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$doc:meta])* $variant:ident => $json:literal, $label:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema,
        )]
        pub enum $name {
            $($(#[$doc])* #[serde(rename = $json)] $variant,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($json),*].len()] = [$($name::$variant),*];

            /// The JSON name (`Display` writes the same).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $json,)* }
            }

            /// The Italian name, for documents and messages.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
