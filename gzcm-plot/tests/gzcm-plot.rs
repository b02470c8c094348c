//! Tests of gzcm-plot.
