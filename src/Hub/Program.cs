using LxAnnotate.Hub.Cli;

return await HubCli.Build().Parse(args).InvokeAsync();
