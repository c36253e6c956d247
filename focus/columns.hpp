#pragma once
// The columns of a FOCUS 1.2 cost-and-usage dataset as chitragupt exports it: every column the
// specification defines (../shared/reference/focus-1.2/columns), in alphabetical order, then
// our custom x_ columns. A row is one optional text cell per column (nullopt = null, written
// as an empty CSV field).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chitragupt::focus {

enum class DataType { kString, kDecimal, kDateTime, kJson };
enum class Level { kMandatory, kConditional, kRecommended, kCustom };

std::string_view to_string(DataType t);  // "String" | "Decimal" | "Date/Time" | "JSON"
std::string_view to_string(Level l);     // "Mandatory" | ... | "Custom"

// Indexes into columns(); the order is the CSV order.
enum Col : int {
  AvailabilityZone,
  BilledCost,
  BillingAccountId,
  BillingAccountName,
  BillingAccountType,
  BillingCurrency,
  BillingPeriodEnd,
  BillingPeriodStart,
  CapacityReservationId,
  CapacityReservationStatus,
  ChargeCategory,
  ChargeClass,
  ChargeDescription,
  ChargeFrequency,
  ChargePeriodEnd,
  ChargePeriodStart,
  CommitmentDiscountCategory,
  CommitmentDiscountId,
  CommitmentDiscountName,
  CommitmentDiscountQuantity,
  CommitmentDiscountStatus,
  CommitmentDiscountType,
  CommitmentDiscountUnit,
  ConsumedQuantity,
  ConsumedUnit,
  ContractedCost,
  ContractedUnitPrice,
  EffectiveCost,
  InvoiceId,
  InvoiceIssuerName,
  ListCost,
  ListUnitPrice,
  PricingCategory,
  PricingCurrency,
  PricingCurrencyContractedUnitPrice,
  PricingCurrencyEffectiveCost,
  PricingCurrencyListUnitPrice,
  PricingQuantity,
  PricingUnit,
  ProviderName,
  PublisherName,
  RegionId,
  RegionName,
  ResourceId,
  ResourceName,
  ResourceType,
  ServiceCategory,
  ServiceName,
  ServiceSubcategory,
  SkuId,
  SkuMeter,
  SkuPriceDetails,
  SkuPriceId,
  SubAccountId,
  SubAccountName,
  SubAccountType,
  Tags,
  // Custom columns (FOCUS requires the x_ prefix).
  x_AllocatedResourceId,
  x_AllocatedResourceName,
  x_AllocatedTags,
  x_AllocatedMethodId,
  x_AllocatedMethodDetails,
  x_AllocationRatio,
  x_DiscountAmount,
  x_SourceProductCategory,
  x_SourceProductType,
  kColumnCount
};

struct Column {
  std::string_view name;
  DataType type;
  Level level;
  bool allows_null;              // the specification's "Allows nulls"
  std::string_view description;  // for metadata.json and docs/focus.md
};

const std::vector<Column>& columns();  // kColumnCount entries, in Col order
bool is_custom(Col c);
// The index of a column name; nullopt for names we do not export.
std::optional<Col> column_named(std::string_view name);

using Cell = std::optional<std::string>;
using FocusRow = std::vector<Cell>;  // kColumnCount cells
inline FocusRow empty_row() { return FocusRow(kColumnCount); }

}  // namespace chitragupt::focus
