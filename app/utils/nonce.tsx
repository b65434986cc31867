import { createContext, useContext } from "react";

// The CSP nonce travels from the server entry to <Scripts>; in the browser it is empty,
// because browsers hide nonce values from the DOM after parsing.
const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
