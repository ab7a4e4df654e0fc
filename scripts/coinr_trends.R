# Reference outputs of COINr 1.1.14 for indices over time (livecommerce.study.years, livecommerce.index.impute):
# compound annual growth (COINr::CAGR) and percentage change a year (COINr::prc_change) of every unit and indicator,
# and COINr::impute_panel ("latest" and "linear-constant") of a panel with empty cells, on COINr's own example panel
# (ASEM_iData_p, 2018-2022) and on the SYNTHETIC 2023 and 2024 province panels of this repository.
# Run from the repository's root: Rscript scripts/coinr_trends.R  (writes tests/reference/coinr_*.csv)
# R and COINr are needed only to regenerate these files (see ../shared/oracles/README.md).

library(COINr)
stopifnot(as.character(packageVersion("COINr")) == "1.1.14")
out <- "tests/reference"

trends_of <- function(panel, unit, time) {
  indicators <- setdiff(names(panel)[sapply(panel, is.numeric)], time)
  rows <- list()
  for (u in unique(panel[[unit]])) {
    p <- panel[panel[[unit]] == u, ]
    for (i in indicators) {
      rows[[length(rows) + 1]] <- data.frame(
        region = u, measure = i,
        cagr = CAGR(p[[i]], p[[time]]), change = prc_change(p[[i]], p[[time]])
      )
    }
  }
  do.call(rbind, rows)
}

write <- function(frame, name) {
  write.csv(frame, file.path(out, name), row.names = FALSE, na = "")
}

# COINr's example panel: five years, 51 units; a few values blanked for the imputation
asem <- ASEM_iData_p[c("uCode", "Time", "LPI", "Flights", "Goods", "Services", "CO2")]
write(asem, "coinr_asem_panel.csv")
write(trends_of(asem, "uCode", "Time"), "coinr_asem_trends.csv")
gaps <- asem
gaps$LPI[gaps$uCode == "NZL" & gaps$Time == 2022] <- NA
gaps$Flights[gaps$uCode == "AUT" & gaps$Time %in% c(2021, 2022)] <- NA
gaps$Goods[gaps$uCode == "BEL" & gaps$Time == 2020] <- NA
gaps$CO2[gaps$uCode == "CHN" & gaps$Time == 2018] <- NA
write(gaps, "coinr_asem_gaps.csv")
write(impute_panel(gaps, time_col = "Time", unit_col = "uCode", imp_type = "latest")$iData_imp,
      "coinr_asem_impute_latest.csv")
write(impute_panel(gaps, time_col = "Time", unit_col = "uCode", imp_type = "linear-constant")$iData_imp,
      "coinr_asem_impute_linear.csv")

# the SYNTHETIC province panels of 2023 and 2024 (three comment lines above the header)
read_panel <- function(path, year) {
  p <- read.csv(path, comment.char = "#", colClasses = c(region_id = "character"))
  p$region <- NULL
  p$Time <- year
  p
}
synthetic <- rbind(
  read_panel("data/raw/synthetic_panel_province_2023.csv", 2023),
  read_panel("data/examples/synthetic_edition_2024/province.csv", 2024)
)
path <- file.path(out, "coinr_synthetic_province_trends.csv")
writeLines(c(
  "# SYNTHETIC DATA, NOT THE REPORT'S: COINr 1.1.14's trends of the invented 2023 and 2024 province panels",
  "# (data/raw/synthetic_panel_province_2023.csv, data/examples/synthetic_edition_2024/province.csv)."
), path)
suppressWarnings(write.table(trends_of(synthetic, "region_id", "Time"), path, sep = ",", row.names = FALSE,
                             na = "", append = TRUE))
