// Guest Access Bot: everything one deployment needs in one resource group.
//
//   az deployment group create --resource-group <rg> --template-file deploy/main.bicep \
//     --parameters @deploy/main.parameters.json
//
// Creates: a user-assigned managed identity (the bot's identity AND its Microsoft Graph credential),
// a storage account with the app's tables, a Linux App Service plan + Web App running the container
// image, and an Azure Bot (single tenant, managed identity) with the Microsoft Teams channel.
// Not done here (needs directory admin rights, see docs/deployment.md): granting the identity the
// Microsoft Graph application permission User.Invite.All (and, with teamsAppId,
// TeamsAppInstallation.ReadWriteSelfForUser.All): the output graphPermissions lists them.

targetScope = 'resourceGroup'

@description('Region for the identity, storage and web app (the Azure Bot itself is global).')
param location string = resourceGroup().location

@description('Prefix for resource names: lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(20)
param baseName string = 'guestaccess'

@description('Container image the Web App runs, e.g. myregistry.azurecr.io/guest-access-bot:0.1.0')
param containerImage string

@description('Name of an Azure Container Registry in THIS resource group that holds the image. When set, the identity gets AcrPull on it and the Web App pulls with the identity. Leave empty for a public image.')
param containerRegistryName string = ''

@description('App Service plan SKU (Linux). B1 is enough for one organisation; Always On needs Basic or higher.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param appServicePlanSku string = 'B1'

@description('Azure Bot pricing tier. F0 (free) covers the standard channels, including Microsoft Teams.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Name shown for the bot registration in the Azure portal.')
@maxLength(42)
param botDisplayName string = 'Guest Access'

@description('Comma-separated Microsoft Entra object ids of the people who may approve requests (APPROVER_IDS). May be empty when approverGroupId is set.')
param approverIds string

@description('Object id of an Entra group whose transitive members may also approve (APPROVER_GROUP_ID); needs Graph GroupMember.Read.All. Empty = none.')
param approverGroupId string = ''

@description('Comma-separated Entra object ids of the people who may approve invitations as Member, with employee-level access (MEMBER_APPROVER_IDS). Empty (and memberApproverGroupId empty) = Guests only.')
param memberApproverIds string = ''

@description('Object id of an Entra group whose transitive members may approve Member invitations (MEMBER_APPROVER_GROUP_ID); needs Graph GroupMember.Read.All. Empty = none.')
param memberApproverGroupId string = ''

@description('Teams channel id (19:…@thread.tacv2) that receives the approval cards instead of 1:1 chats (APPROVAL_CHANNEL_ID). Empty = 1:1 chats.')
param approvalChannelId string = ''

@description('The Teams app manifest id (TEAMS_APP_ID): the bot installs its app for approvers and requesters it cannot reach; needs Graph TeamsAppInstallation.ReadWriteSelfForUser.All. Empty = no proactive installation.')
param teamsAppId string = ''

@description('The organisation\'s own email domains, never invited as guests (ORG_DOMAINS).')
param orgDomains string = ''

@description('Language of proactive approver cards and messages (DEFAULT_LOCALE), e.g. en-US or de-DE.')
param defaultLocale string = 'en-US'

@description('Per-requester limits: open requests, and requests per 24 hours (0 = no limit).')
param maxPendingPerRequester int = 10
param maxRequestsPerDay int = 20

@description('Days after which an undecided request expires, and hours after which approvers are reminded once.')
param requestExpiryDays int = 14
param reminderHours int = 24

@description('Comma-separated guest email domains that may be requested; empty = any (ALLOWED_EMAIL_DOMAINS).')
param allowedEmailDomains string = ''

@description('Comma-separated guest email domains that are never invitable (BLOCKED_EMAIL_DOMAINS).')
param blockedEmailDomains string = ''

@description('Where the guest lands after redeeming the invitation; https only (INVITE_REDIRECT_URL).')
param inviteRedirectUrl string = 'https://myapps.microsoft.com'

@description('Microsoft Graph root including the version (GRAPH_BASE_URL).')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('Tags applied to every resource.')
param tags object = {}

// A managed-identity bot is single-tenant: it lives in the tenant of this subscription, which must
// be the organisation's Microsoft 365 tenant (the one whose Teams users talk to the bot).
var tenantId = tenant().tenantId
var suffix = uniqueString(resourceGroup().id, baseName)
var identityName = '${baseName}-id'
var storageAccountName = take('st${replace(toLower(baseName), '-', '')}${suffix}', 24)
var planName = '${baseName}-plan'
var webAppName = '${baseName}-${suffix}'
var botName = '${baseName}-bot-${suffix}'
var appPort = '8080'
var useRegistry = !empty(containerRegistryName)
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d' // built-in role "AcrPull"
// The tables the app uses (Azure Table Storage). The app may also create them itself.
// Names as the app derives them from STORAGE_TABLE_PREFIX (default guestaccess); Azure table names
// are case-insensitive.
var tableNames = [
  'guestaccessRequests'
  'guestaccessRequestIndex'
  'guestaccessLeases'
  'guestaccessTeams'
  'guestaccessConversationRefs'
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // The app connects with a connection string (STORAGE_CONNECTION_STRING), i.e. the account key.
    allowSharedKeyAccess: true
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = if (useRegistry) {
  name: containerRegistryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (useRegistry) {
  name: guid(resourceGroup().id, containerRegistryName, identity.id, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux,container'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false // stateless: any instance may serve any request
    siteConfig: {
      linuxFxVersion: 'DOCKER|${containerImage}'
      acrUseManagedIdentityCreds: useRegistry
      acrUserManagedIdentityID: useRegistry ? identity.properties.clientId : ''
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: [
        // Bot Framework identity: the user-assigned managed identity (no password to rotate).
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppTenantId'
          value: tenantId
        }
        {
          name: 'TENANT_ID'
          value: tenantId
        }
        // Microsoft Graph through the same managed identity (@azure/identity reads AZURE_CLIENT_ID).
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'GRAPH_BASE_URL'
          value: graphBaseUrl
        }
        // Account-key connection string, read from the account at deployment time (listKeys).
        // Rotating the key means redeploying this template (or updating the setting).
        {
          name: 'STORAGE_CONNECTION_STRING'
          value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
        }
        {
          name: 'APPROVER_IDS'
          value: approverIds
        }
        {
          name: 'APPROVER_GROUP_ID'
          value: approverGroupId
        }
        {
          name: 'MEMBER_APPROVER_IDS'
          value: memberApproverIds
        }
        {
          name: 'MEMBER_APPROVER_GROUP_ID'
          value: memberApproverGroupId
        }
        {
          name: 'APPROVAL_CHANNEL_ID'
          value: approvalChannelId
        }
        {
          name: 'TEAMS_APP_ID'
          value: teamsAppId
        }
        {
          name: 'ORG_DOMAINS'
          value: orgDomains
        }
        {
          name: 'DEFAULT_LOCALE'
          value: defaultLocale
        }
        {
          name: 'MAX_PENDING_PER_REQUESTER'
          value: string(maxPendingPerRequester)
        }
        {
          name: 'MAX_REQUESTS_PER_DAY'
          value: string(maxRequestsPerDay)
        }
        {
          name: 'REQUEST_EXPIRY_DAYS'
          value: string(requestExpiryDays)
        }
        {
          name: 'REMINDER_HOURS'
          value: string(reminderHours)
        }
        {
          name: 'ALLOWED_EMAIL_DOMAINS'
          value: allowedEmailDomains
        }
        {
          name: 'BLOCKED_EMAIL_DOMAINS'
          value: blockedEmailDomains
        }
        {
          name: 'INVITE_REDIRECT_URL'
          value: inviteRedirectUrl
        }
        // The container listens on PORT; App Service forwards 443 to WEBSITES_PORT.
        {
          name: 'PORT'
          value: appPort
        }
        {
          name: 'WEBSITES_PORT'
          value: appPort
        }
        {
          name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE'
          value: 'false'
        }
      ]
    }
  }
  dependsOn: [
    tables
    acrPull
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

@description('Messaging endpoint registered on the Azure Bot.')
output botEndpoint string = bot.properties.endpoint

@description('Host name of the Web App: BOT_DOMAIN for `npm run package`.')
output botDomain string = webApp.properties.defaultHostName

@description('Client (application) id of the managed identity: the bot\'s MicrosoftAppId, and the botId in the Teams manifest.')
output identityClientId string = identity.properties.clientId

@description('Object (principal) id of the managed identity: grant User.Invite.All to this service principal.')
output identityPrincipalId string = identity.properties.principalId

@description('Microsoft Graph application permissions to grant the identity (docs/deployment.md, step 5): User.Invite.All always; GroupMember.Read.All with an approver group; TeamsAppInstallation.ReadWriteSelfForUser.All with teamsAppId.')
output graphPermissions array = concat(['User.Invite.All'], empty(approverGroupId) ? [] : ['GroupMember.Read.All'], empty(teamsAppId) ? [] : ['TeamsAppInstallation.ReadWriteSelfForUser.All'])

@description('Resource id of the managed identity.')
output identityResourceId string = identity.id

output tenantId string = tenantId
output webAppName string = webApp.name
output botName string = bot.name
output storageAccountName string = storage.name
