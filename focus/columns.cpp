#include "focus/columns.hpp"

namespace chitragupt::focus {

std::string_view to_string(DataType t) {
  switch (t) {
    case DataType::kString:
      return "String";
    case DataType::kDecimal:
      return "Decimal";
    case DataType::kDateTime:
      return "Date/Time";
    case DataType::kJson:
      return "JSON";
  }
  return "String";
}

std::string_view to_string(Level l) {
  switch (l) {
    case Level::kMandatory:
      return "Mandatory";
    case Level::kConditional:
      return "Conditional";
    case Level::kRecommended:
      return "Recommended";
    case Level::kCustom:
      return "Custom";
  }
  return "Custom";
}

const std::vector<Column>& columns() {
  using D = DataType;
  using L = Level;
  // Data type, feature level and "Allows nulls" as the FOCUS 1.2 column pages state them.
  static const std::vector<Column> c = {
      {"AvailabilityZone", D::kString, L::kRecommended, true, "Always null: not tracked"},
      {"BilledCost", D::kDecimal, L::kMandatory, false, "The portion's share of the billed amount"},
      {"BillingAccountId", D::kString, L::kMandatory, false,
       "The tenant's tenant_id (Confluent organization)"},
      {"BillingAccountName", D::kString, L::kMandatory, true,
       "The tenant's name in the configuration"},
      {"BillingAccountType", D::kString, L::kConditional, false,
       "Organization (Confluent Cloud) or Tenant"},
      {"BillingCurrency", D::kString, L::kMandatory, false,
       "focus_preview.billing_currency (default USD)"},
      {"BillingPeriodEnd", D::kDateTime, L::kMandatory, false, "First instant of the next month"},
      {"BillingPeriodStart", D::kDateTime, L::kMandatory, false,
       "First instant of the exported month"},
      {"CapacityReservationId", D::kString, L::kConditional, true, "Always null"},
      {"CapacityReservationStatus", D::kString, L::kConditional, true, "Always null"},
      {"ChargeCategory", D::kString, L::kMandatory, false, "Usage, Purchase (support) or Credit"},
      {"ChargeClass", D::kString, L::kMandatory, true,
       "Correction for refunds the source names, else null"},
      {"ChargeDescription", D::kString, L::kMandatory, true, "Product type and billed resource"},
      {"ChargeFrequency", D::kString, L::kRecommended, false,
       "Usage-Based, Recurring (support) or One-Time (credits)"},
      {"ChargePeriodEnd", D::kDateTime, L::kMandatory, false,
       "End of the billing line's window (exclusive)"},
      {"ChargePeriodStart", D::kDateTime, L::kMandatory, false,
       "Start of the billing line's window"},
      {"CommitmentDiscountCategory", D::kString, L::kConditional, true, "Always null"},
      {"CommitmentDiscountId", D::kString, L::kConditional, true, "Always null"},
      {"CommitmentDiscountName", D::kString, L::kConditional, true, "Always null"},
      {"CommitmentDiscountQuantity", D::kDecimal, L::kConditional, true, "Always null"},
      {"CommitmentDiscountStatus", D::kString, L::kConditional, true, "Always null"},
      {"CommitmentDiscountType", D::kString, L::kConditional, true, "Always null"},
      {"CommitmentDiscountUnit", D::kString, L::kConditional, true, "Always null"},
      {"ConsumedQuantity", D::kDecimal, L::kConditional, true, "PricingQuantity on Usage rows"},
      {"ConsumedUnit", D::kString, L::kConditional, true, "PricingUnit on Usage rows"},
      {"ContractedCost", D::kDecimal, L::kMandatory, false, "Equals ListCost (pay as you go)"},
      {"ContractedUnitPrice", D::kDecimal, L::kConditional, true, "Equals ListUnitPrice"},
      {"EffectiveCost", D::kDecimal, L::kMandatory, false, "Equals BilledCost (nothing amortized)"},
      {"InvoiceId", D::kString, L::kRecommended, true, "Always null: invoices are not gathered"},
      {"InvoiceIssuerName", D::kString, L::kMandatory, false, "The provider"},
      {"ListCost", D::kDecimal, L::kMandatory, false,
       "The portion's share of the undiscounted amount"},
      {"ListUnitPrice", D::kDecimal, L::kConditional, true,
       "The line's unit price (null for tiered lines)"},
      {"PricingCategory", D::kString, L::kConditional, true, "Standard when a unit price is known"},
      {"PricingCurrency", D::kString, L::kConditional, true, "The billing line's currency"},
      {"PricingCurrencyContractedUnitPrice", D::kDecimal, L::kConditional, true,
       "Equals ContractedUnitPrice"},
      {"PricingCurrencyEffectiveCost", D::kDecimal, L::kConditional, true, "Equals EffectiveCost"},
      {"PricingCurrencyListUnitPrice", D::kDecimal, L::kConditional, true, "Equals ListUnitPrice"},
      {"PricingQuantity", D::kDecimal, L::kMandatory, true,
       "The portion's share of the billed quantity"},
      {"PricingUnit", D::kString, L::kMandatory, true, "FOCUS unit of the line type"},
      {"ProviderName", D::kString, L::kMandatory, false, "Confluent, or the platform"},
      {"PublisherName", D::kString, L::kMandatory, false, "Confluent, or the platform"},
      {"RegionId", D::kString, L::kConditional, true, "The billed resource's region"},
      {"RegionName", D::kString, L::kConditional, true,
       "Always null: no display names for regions"},
      {"ResourceId", D::kString, L::kConditional, true, "The billed resource"},
      {"ResourceName", D::kString, L::kConditional, true,
       "Its display name, when it differs from the id"},
      {"ResourceType", D::kString, L::kConditional, true, "Its resource type"},
      {"ServiceCategory", D::kString, L::kMandatory, false, "From the product category"},
      {"ServiceName", D::kString, L::kMandatory, false, "From the product category"},
      {"ServiceSubcategory", D::kString, L::kRecommended, false, "From the product category"},
      {"SkuId", D::kString, L::kConditional, true,
       "ecosystem:product_category:product_type (derived)"},
      {"SkuMeter", D::kString, L::kConditional, true, "The line type"},
      {"SkuPriceDetails", D::kJson, L::kConditional, true, "Always null: no provider price list"},
      {"SkuPriceId", D::kString, L::kConditional, true, "Always null: no provider price list"},
      {"SubAccountId", D::kString, L::kConditional, true, "Confluent environment"},
      {"SubAccountName", D::kString, L::kConditional, true, "Its display name"},
      {"SubAccountType", D::kString, L::kConditional, true, "Environment"},
      {"Tags", D::kJson, L::kConditional, true, "Tags of the billed resource"},
      {"x_AllocatedResourceId", D::kString, L::kCustom, true,
       "Identity (or resource) the portion is charged to"},
      {"x_AllocatedResourceName", D::kString, L::kCustom, true, "Its display name"},
      {"x_AllocatedTags", D::kJson, L::kCustom, true, "Its tags"},
      {"x_AllocatedMethodId", D::kString, L::kCustom, true, "Allocation method"},
      {"x_AllocatedMethodDetails", D::kJson, L::kCustom, true, "allocation_detail and cost_type"},
      {"x_AllocationRatio", D::kDecimal, L::kCustom, false,
       "BilledCost / the line's billed amount"},
      {"x_DiscountAmount", D::kDecimal, L::kCustom, false, "ListCost - BilledCost of the portion"},
      {"x_SourceProductCategory", D::kString, L::kCustom, false, "Native product category"},
      {"x_SourceProductType", D::kString, L::kCustom, false, "Native line type"},
  };
  return c;
}

bool is_custom(Col c) { return c >= x_AllocatedResourceId; }

std::optional<Col> column_named(std::string_view name) {
  const auto& all = columns();
  for (int i = 0; i < kColumnCount; ++i) {
    if (all[i].name == name) return static_cast<Col>(i);
  }
  return std::nullopt;
}

}  // namespace chitragupt::focus
