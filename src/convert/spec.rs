//! The shape of an OpenCC configuration, as vendored in `data/configs.rs`.

/// A dictionary tree, as in an OpenCC config's `dict` objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    /// One dictionary: an index into `DICTS`. `tofu_risk` is OpenCC's `may_output_tofu`.
    Leaf { dict: usize, tofu_risk: bool },
    /// A group of dictionaries. `union == false` is OpenCC's `short_circuit` policy: the
    /// first member with any match at a position wins. `union == true`: the longest match
    /// over all members wins, the earlier member on equal length.
    Group { union: bool, dicts: &'static [Node] },
}

/// One OpenCC configuration (`<name>.json`).
#[derive(Debug)]
pub(crate) struct ConfigSpec {
    /// The configuration's file stem: `t2s`, `tw2s`, ….
    pub(crate) name: &'static str,
    /// Conversions applied to the whole text before segmentation.
    pub(crate) normalization: &'static [Node],
    /// The maximum-match segmentation dictionary, if the config segments.
    pub(crate) segmentation: Option<Node>,
    /// The conversion chain, applied to every segment in turn.
    pub(crate) chain: &'static [Node],
}
