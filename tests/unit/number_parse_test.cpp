// Strict number parsing: plain decimal only, the same rules for --frames and --set.
#include "core/number_parse.h"

#include <gtest/gtest.h>

namespace fw::core {
namespace {

TEST(NumberParse, WholeNumbersArePlainDecimal) {
  EXPECT_EQ(ParseWholeNumber("12"), 12);
  EXPECT_EQ(ParseWholeNumber("+7"), 7);
  EXPECT_EQ(ParseWholeNumber("-3"), -3);
  EXPECT_EQ(ParseWholeNumber("9223372036854775807"), INT64_MAX);
}

TEST(NumberParse, WholeNumbersRefuseHexWhitespaceFractionsAndOverflow) {
  for (const char* bad : {"", " 1", "1 ", "\t1", "1\n", "0x1", "1.0", "1e3", "+", "-", "+-1", "--1",
                          "1a", "99999999999999999999", "9223372036854775808"}) {
    EXPECT_FALSE(ParseWholeNumber(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(NumberParse, DecimalsTakeFractionsSignsAndExponents) {
  EXPECT_EQ(ParseDecimal("1.5"), 1.5);
  EXPECT_EQ(ParseDecimal("-0.25"), -0.25);
  EXPECT_EQ(ParseDecimal("+2"), 2.0);
  EXPECT_EQ(ParseDecimal(".5"), 0.5);
  EXPECT_EQ(ParseDecimal("1e-3"), 0.001);
  EXPECT_EQ(ParseDecimal("3"), 3.0);
}

TEST(NumberParse, DecimalsRefuseHexWhitespaceAndSpecialValues) {
  for (const char* bad : {"", " 1", "1 ", "0x1", "0X1p3", "inf", "-inf", "nan", "infinity", "1e999",
                          "1,5", "1.5.2", "e3", "-", ".", "+-1"}) {
    EXPECT_FALSE(ParseDecimal(bad).has_value()) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace fw::core
