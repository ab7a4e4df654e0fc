# Reference outputs of COINr (the JRC's composite-indicator package) for tests/test_coinr.py: normalisations and
# aggregations that COINr and livecommerce both have, on the report's province sub-indices
# (tests/reference/coinr/report_inputs.csv, written by scripts/export_coinr_inputs.py) and on COINr's example data
# (ASEM, exported here to asem_inputs.csv). R and COINr are needed only to regenerate these files, never by the
# package or its tests. Install COINr 1.1.14 offline as ../shared/oracles/README.md says, then, from the checkout:
#   Rscript scripts/coinr_reference.R
suppressPackageStartupMessages(library(COINr))

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
out <- file.path(here, "..", "tests", "reference", "coinr")
header <- sprintf("# COINr %s, scripts/coinr_reference.R", as.character(packageVersion("COINr")))

write_table <- function(frame, name, note) {
  con <- file(file.path(out, name), "w", encoding = "UTF-8")
  writeLines(paste0(header, note), con)
  numeric <- vapply(frame, is.numeric, logical(1))
  frame[numeric] <- lapply(frame[numeric], function(v) sprintf("%.17g", v))
  write.csv(frame, con, row.names = FALSE, quote = FALSE)
  close(con)
}

long <- function(dataset, method, values, regions) {
  # a matrix (regions x columns) or a vector by region as rows dataset, method, region, column, value
  values <- as.matrix(values)
  columns <- if (is.null(colnames(values))) "" else colnames(values)
  data.frame(
    dataset = dataset, method = method, region = rep(regions, times = ncol(values)),
    column = rep(columns, each = nrow(values)), value = as.vector(values)
  )
}

references <- function(X, w, dataset) {
  regions <- rownames(X)
  by_column <- function(f) sapply(X, f)
  spread <- sapply(X, function(x) max(x) - min(x))
  low <- sapply(X, min) + 0.1 * spread # goalposts inside the data, so that truncation is exercised
  high <- sapply(X, max) - 0.1 * spread
  target <- sapply(X, function(x) unname(stats::quantile(x, 0.8)))
  scaled <- c(50, 150)
  rows <- list(
    long(dataset, "minmax", by_column(function(x) n_minmax(x, c(0, 100))), regions),
    long(dataset, "zscore_10_2", by_column(function(x) n_zscore(x, c(10, 2))), regions),
    long(dataset, "goalposts", sapply(names(X), function(j) n_goalposts(X[[j]], c(low[j], high[j], 100))), regions),
    long(dataset, "goalposts_negative",
         sapply(names(X), function(j) n_goalposts(X[[j]], c(low[j], high[j], 100), direction = -1)), regions),
    long(dataset, "dist2ref_2", by_column(function(x) n_dist2ref(x, iref = 2)), regions),
    long(dataset, "dist2targ_capped",
         sapply(names(X), function(j) n_dist2targ(X[[j]], target[j], cap_max = TRUE)), regions),
    long(dataset, "scaled_50_150", by_column(function(x) n_scaled(x, scaled, 100)), regions),
    long(dataset, "rank", by_column(n_rank), regions),
    long(dataset, "borda", by_column(n_borda), regions),
    # the parameters used, as rows of their own
    long(dataset, "posts", rbind(low = low, high = high), c("low", "high")),
    long(dataset, "target", t(target), "target"),
    long(dataset, "scaled_params", cbind(low = scaled[1], high = scaled[2]), "scaled")
  )
  N <- as.data.frame(sapply(X, function(x) n_minmax(x, c(1, 100)))) # positive, for every mean
  rownames(N) <- regions
  aggregations <- list(
    arithmetic = apply(N, 1, a_amean, w = w),
    geometric = apply(N, 1, a_gmean, w = w),
    harmonic = apply(N, 1, a_hmean, w = w),
    genmean_2 = apply(N, 1, a_genmean, w = w, p = 2),
    genmean_0.5 = apply(N, 1, a_genmean, w = w, p = 0.5),
    `genmean_-2` = apply(N, 1, a_genmean, w = w, p = -2),
    copeland = a_copeland(N, w = w)
  )
  rows <- c(rows, list(long(dataset, "minmax_1_100", N, regions)))
  for (name in names(aggregations)) rows <- c(rows, list(long(dataset, name, aggregations[[name]], regions)))
  do.call(rbind, rows)
}

read_inputs <- function(name) {
  frame <- utils::read.csv(file.path(out, name), comment.char = "#", check.names = FALSE, colClasses = c(region = "character"))
  weights <- unlist(frame[frame$region == "weight", -1])
  data <- frame[frame$region != "weight", -1]
  rownames(data) <- frame$region[frame$region != "weight"]
  list(data = data, weights = weights)
}

# The report's sub-indices, as scripts/export_coinr_inputs.py wrote them.
report <- read_inputs("report_inputs.csv")

# COINr's example: the ASEM indicators with no missing value, weights 1..k (normalised by COINr's functions).
meta <- ASEM_iMeta[ASEM_iMeta$Type == "Indicator", ]
codes <- meta$iCode[vapply(meta$iCode, function(code) !anyNA(ASEM_iData[[code]]), logical(1))]
asem <- ASEM_iData[codes]
rownames(asem) <- ASEM_iData$uCode
weights <- seq_along(codes) / sum(seq_along(codes))
write_table(
  rbind(data.frame(region = rownames(asem), asem, check.names = FALSE),
        data.frame(region = "weight", t(weights), check.names = FALSE, row.names = NULL) |> stats::setNames(c("region", codes))),
  "asem_inputs.csv", ": COINr's ASEM_iData, indicators with no missing value; last row the weights"
)

write_table(
  rbind(references(report$data, report$weights, "report"), references(asem, weights, "asem")),
  "references.csv", ": normalisations and aggregations by dataset, method, region and column"
)
cat("wrote", file.path(out, c("asem_inputs.csv", "references.csv")), sep = "\n")
